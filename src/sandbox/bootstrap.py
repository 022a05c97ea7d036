# The sandbox's launcher: every program runs as ONE Python process started with
#   python -I -B -S -c <this file's text> nproc nproc-relative uid no-new-privs cwd rlimits program
# It reads a nonce from stdin, sets rlimits, drops to the program's uid, runs the program with runpy and, only
# after the program returned, prints the nonce: a program that exits early (os._exit(0)) cannot pass.
# src/sandbox/isolation.ts loads this file and reads the two constants below from it.

LAUNCHER_FAILURE_EXIT = 125  # exit status when the sandbox could not be set up (never a program's verdict)
LAUNCHER_FAILURE_TAG = "harness-sandbox-launcher:"

import sys, os
def _harness_setup():
    def fail(msg):
        try:
            os.write(2, (LAUNCHER_FAILURE_TAG + " " + msg + "\n").encode())
        finally:
            os._exit(LAUNCHER_FAILURE_EXIT)
    try:
        import resource, site
        nonce = sys.stdin.readline().strip().encode()
        # argv: nproc, nproc-relative (0/1), uid (-1: keep), no-new-privs (0/1), cwd, rlimits "NAME=V,...", program
        # (plain strings rather than JSON: importing json costs ~10 ms, on every program)
        a = sys.argv
        c = {"nproc": int(a[1]), "nprocRelative": a[2] == "1", "uid": None if a[3] == "-1" else int(a[3]), "noNewPrivs": a[4] == "1", "cwd": a[5],
             "rlimits": [[kv.split("=")[0], int(kv.split("=")[1])] for kv in a[6].split(",") if kv]}
        # Started with -S: add what site.main() would, minus running code from .pth files (their import
        # lines); path lines of .pth files are honoured. Saves the cost of such hooks on every program.
        site.setquit()
        site.setcopyright()
        site.sethelper()
        for d in site.getsitepackages():
            if not os.path.isdir(d) or d in sys.path:
                continue
            sys.path.append(d)
            try:
                names = sorted(n for n in os.listdir(d) if n.endswith(".pth") and not n.startswith("."))
            except OSError:
                names = []
            for n in names:
                try:
                    with open(os.path.join(d, n), encoding="utf-8") as f:
                        for line in f:
                            line = line.strip()
                            if not line or line.startswith("#") or line.startswith(("import ", "import\t")):
                                continue
                            extra = os.path.join(d, line)
                            if os.path.isdir(extra) and extra not in sys.path:
                                sys.path.append(extra)
                except (OSError, UnicodeDecodeError):
                    pass
        nproc = c["nproc"]
        if c.get("nprocRelative"):
            me, n = os.getuid(), 0
            for d in os.listdir("/proc"):
                if not d.isdigit():
                    continue
                try:
                    uid = threads = None
                    with open("/proc/%s/status" % d) as f:
                        for line in f:
                            if line.startswith("Uid:"):
                                uid = int(line.split()[1])
                            elif line.startswith("Threads:"):
                                threads = int(line.split()[1])
                    if uid == me:
                        n += threads or 1
                except (OSError, ValueError):
                    pass
            nproc += n
        for name, value in c["rlimits"] + [["RLIMIT_NPROC", nproc]]:
            which = getattr(resource, name)
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY and value > hard:
                value = hard
            resource.setrlimit(which, (value, value))
        if c.get("uid") is not None:
            os.setgroups([])
            os.setgid(c["uid"])
            os.setuid(c["uid"])
        if c.get("noNewPrivs"):  # bubblewrap sets it already
            try:
                import ctypes
                ctypes.CDLL(None, use_errno=True).prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
            except Exception:
                pass
        os.chdir(c["cwd"])
        path = a[7]
        sys.argv = [path]
        return nonce, path
    except BaseException as e:
        fail("%s: %s" % (type(e).__name__, e))
_nonce, _path = _harness_setup()
del _harness_setup
import runpy
runpy.run_path(_path, run_name="__main__")
for _s in (sys.stdout, sys.stderr):
    try:
        _s.flush()
    except Exception:
        pass
os.write(1, b"\n" + _nonce + b"\n")

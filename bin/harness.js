#!/usr/bin/env node
// The `harness` command: the CLI compiled to dist/ (`npm install` in a clone builds it through `prepare`).
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
  process.stderr.write('error: the harness is not built (dist/ is missing)\n  fix:   run `npm run build` in the project folder\n');
  process.exit(2);
}
process.exitCode = await main(process.argv);

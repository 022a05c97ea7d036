import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HarnessError, ExitCode } from '../../core/errors.ts';

export const DEVICES = ['cpu', 'cuda', 'webgpu', 'dml', 'coreml'] as const;
export type Device = (typeof DEVICES)[number];

/** Folder holding onnxruntime-node's native binaries for this platform (where the CUDA provider lands). */
function ortBinaryDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
    const bin = join(pkg, 'bin');
    for (const napi of existsSync(bin) ? readdirSync(bin) : []) {
      const dir = join(bin, napi, process.platform, process.arch);
      if (existsSync(dir)) return dir;
    }
  } catch {
    /* not installed: reported by the caller */
  }
  return null;
}

/** Devices usable on this machine with this install, each with why not when it is not. */
export function deviceAvailability(): { device: Device; available: boolean; why?: string }[] {
  const bin = ortBinaryDir();
  const cudaLib = bin !== null && existsSync(join(bin, 'libonnxruntime_providers_cuda.so'));
  return [
    { device: 'cpu', available: true },
    {
      device: 'cuda',
      available: process.platform === 'linux' && process.arch === 'x64' && cudaLib,
      why:
        process.platform !== 'linux' || process.arch !== 'x64'
          ? 'onnxruntime-node ships CUDA for Linux x64 only'
          : 'the CUDA provider is not installed: reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 npm install (needs CUDA 12 and cuDNN 9)',
    },
    { device: 'webgpu', available: true, why: 'experimental; needs a GPU adapter at run time' },
    { device: 'dml', available: process.platform === 'win32', why: 'DirectML is Windows only' },
    { device: 'coreml', available: process.platform === 'darwin', why: 'CoreML is macOS only' },
  ];
}

/** Throws a clear error naming the available devices when `device` cannot be used here. */
export function assertDeviceAvailable(device: string): Device {
  const all = deviceAvailability();
  const found = all.find((d) => d.device === device);
  const usable = all.filter((d) => d.available).map((d) => d.device);
  if (!found) {
    throw new HarnessError(`unknown device "${device}"`, {
      where: '--device / config.model.device',
      fix: `use one of: ${usable.join(', ')} (available here); known devices: ${DEVICES.join(', ')}`,
    });
  }
  if (!found.available) {
    throw new HarnessError(`device "${device}" is not available on this machine: ${found.why}`, {
      where: '--device / config.model.device',
      fix: `use one of: ${usable.join(', ')}`,
      exitCode: ExitCode.environment,
    });
  }
  return found.device;
}

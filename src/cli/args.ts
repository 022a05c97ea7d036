import { HarnessError } from '../core/errors.ts';

/** Commander parser for an integer flag with a minimum, failing with the flag's name. */
export function intArg(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new HarnessError(`${flag} must be an integer >= ${min}, got "${value}"`, { where: flag, fix: `for example ${flag} ${Math.max(min, 1)}` });
    return n;
  };
}

export function numberArg(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new HarnessError(`${flag} must be a number >= ${min}, got "${value}"`, { where: flag, fix: `for example ${flag} ${Math.max(min, 1)}` });
    return n;
  };
}

/** A `--min-metric task/metric=value` gate, collected over repeated flags. */
export function parseGate(value: string, previous: string[] = []): string[] {
  if (!/^[^/=]+\/[^/=]+=-?[\d.]+$/.test(value)) {
    throw new HarnessError(`--min-metric ${value} is not task/metric=value`, { fix: 'for example --min-metric mmlu/acc=0.25' });
  }
  return [...previous, value];
}

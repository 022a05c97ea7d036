import type { Option } from 'commander';

/** `text (default: value)`, the way commander shows defaults, for options whose default lives in the config. */
export function withDefault(text: string, value: unknown): string {
  return `${text} (default: ${Array.isArray(value) ? value.join(',') : String(value)})`;
}

/** Puts options under one heading of the help. */
export function group(heading: string, ...options: Option[]): Option[] {
  return options.map((o) => o.helpGroup(heading));
}

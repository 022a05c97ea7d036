/**
 * `local-llm-harness/config`: what a config file imports.
 *
 *   import { defineConfig } from 'local-llm-harness/config';
 *   export default defineConfig({ model: { id: './models/Qwen2.5-0.5B-Instruct' }, tasks: ['mmlu'] });
 *
 * Types only at run time: importing this costs nothing.
 */
import type { HarnessConfig, HarnessConfigInput } from './schema.ts';

export type { HarnessConfig, HarnessConfigInput };

/** Typed helper for harness.config.ts: returns its argument; the harness validates it when it loads the file. */
export function defineConfig(config: HarnessConfigInput): HarnessConfigInput {
  return config;
}

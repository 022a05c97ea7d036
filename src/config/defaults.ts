/**
 * Default values of the config (src/config/schema.ts applies them; `--help` shows them). Plain constants so
 * that `harness --help` needs no schema library.
 */
export const DEFAULTS = {
  model: {
    dtype: 'q8',
    device: 'cpu',
    batchSize: 8,
    maxBatchTokens: 16384,
    addBosToken: false,
    prefixCache: true,
    promptMode: 'auto',
  },
  tasks: ['mmlu'],
  dataDir: '../shared/datasets',
  output: 'results',
  seed: 1234,
  logPrompts: true,
  progress: 'auto',
  sandbox: {
    memoryMB: 1024,
    maxProcesses: 64,
    maxOutputBytes: 1 << 20,
    python: 'python3',
  },
} as const;

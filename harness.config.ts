import { defineConfig } from 'local-llm-harness/config';

// What `npx harness run` does with no flags. Every field has a flag that overrides it (see `harness run --help`).
export default defineConfig({
  model: {
    id: '../shared/models/stories260K',
    dtype: 'q8',
    device: 'cpu',
  },
  tasks: ['mmlu', 'arc_challenge'],
  dataDir: '../shared/datasets',
  output: 'results',
  limit: 50,
  seed: 1234,
});

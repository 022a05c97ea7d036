// `npm run schema`: writes schema/*.schema.json from the zod schemas of the result files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultJsonSchemas } from '../src/results/json-schema.ts';

const dir = join(import.meta.dirname, '..', 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(resultJsonSchemas())) {
  writeFileSync(join(dir, name), JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote schema/${name}`);
}

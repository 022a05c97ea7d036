/**
 * The Hugging Face download paths (models through transformers.js, datasets through the datasets-server rows
 * API) against a small hub served on loopback: the same code that runs online, with no internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxBackend } from '../src/models/onnx/backend.ts';
import { fingerprintFolder } from '../src/models/onnx/fingerprint.ts';
import { loadSplit } from '../src/data/datasets.ts';
import type { DatasetSpec } from '../src/tasks/schema.ts';
import { hasShared, skipReason, stories260K } from './shared.ts';

const ROWS = Array.from({ length: 230 }, (_, i) => ({ question: `Q${i}?`, choices: ['a', 'b', 'c', 'd'], answer: i % 4 }));

describe.skipIf(!hasShared)(`hub downloads from a loopback mirror ${hasShared ? '' : skipReason}`, () => {
  let server: Server;
  let base: string;
  let cache: string;
  const requests: string[] = [];
  const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, HF_DATASETS_SERVER: process.env.HF_DATASETS_SERVER };

  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), 'harness-hub-'));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}`);
      if (url.pathname === '/api/models/test-org/stories260K') return void res.writeHead(200).end('{}');
      if (url.pathname.startsWith('/api/models/')) return void res.writeHead(404).end();
      const file = url.pathname.match(/^\/test-org\/stories260K\/resolve\/main\/(.+)$/)?.[1];
      if (file && !file.includes('..') && existsSync(join(stories260K, file))) return void res.writeHead(200).end(readFileSync(join(stories260K, file)));
      if (url.pathname === '/rows' && url.searchParams.get('dataset') === 'test-org/quiz' && url.searchParams.get('split') === 'validation') {
        const offset = Number(url.searchParams.get('offset'));
        const length = Number(url.searchParams.get('length'));
        const rows = ROWS.slice(offset, offset + length).map((row, i) => ({ row_idx: offset + i, row }));
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows, num_rows_total: ROWS.length }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.HF_ENDPOINT = base;
    process.env.HF_DATASETS_SERVER = base;
  });
  afterAll(() => {
    server.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(cache, { recursive: true, force: true });
  });

  it('a hub id downloads into the cache, loads, scores like the local folder, and records the file hashes', async () => {
    const opts = { dtype: 'q8' as const, device: 'cpu', batchSize: 8, maxBatchTokens: 8192, addBosToken: false, cacheDir: join(cache, 'models') };
    const hub = await OnnxBackend.load({ ...opts, model: 'test-org/stories260K' });
    const local = await OnnxBackend.load({ ...opts, model: stories260K });
    try {
      expect(hub.record.source).toBe('hub');
      expect(hub.record.path).toBe(join(cache, 'models', 'test-org', 'stories260K'));
      const weights = (await fingerprintFolder(hub.record.path, 'q8')).files.find((f) => f.name.startsWith('onnx/'));
      expect(weights).toEqual({ name: 'onnx/model_quantized.onnx', bytes: 449810, sha256: '8eddbca1d219cb8f3abbf461c869d1b88b4157665bd9a75f53abfd8515e0bc64' });
      expect(requests).toContain('GET /test-org/stories260K/resolve/main/onnx/model_quantized.onnx');
      const req = [{ context: 'Once upon a time', continuation: ' there was' }];
      expect((await hub.loglikelihood(req))[0].logprob).toBe((await local.loglikelihood(req))[0].logprob);
    } finally {
      await hub.dispose();
      await local.dispose();
    }
  });

  it('an unknown hub id is a clear error', async () => {
    await expect(OnnxBackend.load({ model: 'test-org/nope', dtype: 'q8', device: 'cpu', batchSize: 1, maxBatchTokens: 512, addBosToken: false })).rejects.toThrow(/model "test-org\/nope" was not found on the hub \(HTTP 404\)/);
  });

  it('a dataset missing locally is paged from the datasets server, cached, and read from the cache offline', async () => {
    const spec: DatasetSpec = { format: 'csv', path: 'quiz/{split}.csv', header: true, required: ['question', 'answer'], hub: { repo: 'test-org/quiz', config: 'default', splits: { val: 'validation' } } };
    const opts = { dataDir: join(cache, 'no-data'), split: 'val', cacheDir: join(cache, 'ds') };
    const first = await loadSplit(spec, opts);
    expect(first.rows).toEqual(ROWS);
    expect(first.source).toBe('hub:test-org/quiz/default/validation');
    expect(requests.filter((r) => r === 'GET /rows')).toHaveLength(3); // 100 + 100 + 30 rows
    process.env.HF_DATASETS_SERVER = 'http://127.0.0.1:9';
    const again = await loadSplit(spec, opts);
    expect(again.rows).toEqual(ROWS);
    expect(again.source).toMatch(/\(cached .*validation\.jsonl\)$/);
    process.env.HF_DATASETS_SERVER = base;
  });
});

/// <reference lib="dom" />
/**
 * `harness report` in a real browser: headless Chromium (Debian package `chromium`, driven by playwright-core)
 * opens the file from disk with the network off; the charts render, the sample browser's filters work, and no
 * request leaves the page. Screenshots go to $HARNESS_REPORT_SCREENSHOTS when set (to look at while building).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { HarnessConfigSchema, type HarnessConfigInput } from '../src/config/schema.ts';
import type { ModelBackend } from '../src/models/backend.ts';
import { loadModel, runEvaluation } from '../src/runner/run.ts';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';

const CHROMIUM = process.env.HARNESS_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const why = !hasShared ? skipReason : `chromium not found at ${CHROMIUM} (apt-get install chromium, or set HARNESS_CHROMIUM): the browser test of the report is skipped`;
if (!hasChromium) console.warn(`[skip] ${why}`);
const silent = { start() {}, update() {}, stop() {}, log() {} };

describe.skipIf(!hasShared || !hasChromium)(`the HTML report in headless Chromium ${hasShared && hasChromium ? '' : why}`, () => {
  let dir: string;
  let file: string;
  let runDirs: string[];
  const config = (extra: Partial<HarnessConfigInput> = {}) =>
    HarnessConfigSchema.parse({
      model: { id: stories260K, dtype: 'q8' },
      tasks: ['mmlu', 'refusal'],
      dataDir: datasetsDir,
      output: join(dir, 'out'),
      limit: 16,
      numFewshot: 1,
      seed: 7,
      progress: 'off',
      generation: { maxNewTokens: 24 },
      ...extra,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harness-report-'));
    runDirs = [];
    for (const dtype of ['q8', 'fp32'] as const) {
      const c = config({ model: { id: stories260K, dtype } });
      const model: ModelBackend = await loadModel(c.model);
      try {
        runDirs.push((await runEvaluation(c, { model, progress: silent, out: () => {} })).runDir);
      } finally {
        await model.dispose();
      }
    }
    file = join(dir, 'report', 'report.html');
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'harness', 'report', ...runDirs, '-o', file, '--title', 'q8 against fp32'])).toBe(0);
    } finally {
      o.mockRestore();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained file: no external reference of any kind', () => {
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain("default-src 'none'");
  });

  it('renders its charts and its filters work in Chromium', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`request: ${r.url()}`));
      await page.goto(`file://${file}`);
      const shots = process.env.HARNESS_REPORT_SCREENSHOTS;
      if (shots) mkdirSync(shots, { recursive: true });
      const shot = async (name: string, selector?: string) => {
        if (!shots) return;
        if (selector) await page.locator(selector).first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, `${name}.png`) });
      };
      await shot('top');

      // Charts: forest plots with a dot per run and metric, a heatmap per run, stacked label bars.
      const charts = await page.evaluate(() => ({
        forest: document.querySelectorAll('svg.forest').length,
        dots: document.querySelectorAll('svg.forest circle').length,
        heat: document.querySelectorAll('svg.heat').length,
        heatCells: document.querySelectorAll('svg.heat rect.cell').length,
        stacked: document.querySelectorAll('svg.stacked').length,
        sizes: [...document.querySelectorAll('svg.chart')].map((s) => s.getBoundingClientRect().width * s.getBoundingClientRect().height),
      }));
      expect(charts.forest).toBeGreaterThanOrEqual(5);
      expect(charts.dots).toBeGreaterThanOrEqual(2 * 2 + 2 * 4); // mmlu acc, acc_norm; refusal's four rates, per run
      expect(charts.heat).toBe(2);
      expect(charts.heatCells).toBeGreaterThan(0);
      expect(charts.stacked).toBeGreaterThanOrEqual(1);
      for (const area of charts.sizes.slice(0, 6)) expect(area).toBeGreaterThan(0); // laid out, not hidden
      await shot('refusal', '#refusal');

      // The sample browser: every document, then filtered.
      const data = JSON.parse(readFileSync(file, 'utf8').match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1]) as {
        docs: { task: string; flipped: boolean; id: string; runs: ({ ok: boolean | null; labels: string[] } | null)[] }[];
      };
      const count = async () => Number((await page.locator('#count').textContent())!.split(' ')[0]);
      const cards = () => page.locator('#list .doc').count();
      expect(await count()).toBe(data.docs.length);
      expect(await cards()).toBe(Math.min(20, data.docs.length));

      await page.selectOption('#f-task', 'refusal');
      const refusal = data.docs.filter((d) => d.task === 'refusal');
      expect(await count()).toBe(refusal.length);
      expect(await page.locator('#list .doc .muted').first().textContent()).toMatch(/^refusal · /);

      await page.selectOption('#f-task', 'mmlu');
      await page.selectOption('#f-outcome', 'no');
      const wrong = data.docs.filter((d) => d.task === 'mmlu' && d.runs[0]?.ok === false);
      expect(await count()).toBe(wrong.length);
      expect(await page.locator('#list .doc .run:first-child .badge').first().textContent()).toBe('incorrect');
      await page.selectOption('#f-outcome', 'ok');
      expect(await count()).toBe(data.docs.filter((d) => d.task === 'mmlu' && d.runs[0]?.ok === true).length);

      await page.selectOption('#f-outcome', '');
      await page.selectOption('#f-task', '');
      await page.check('#f-flipped');
      const flipped = data.docs.filter((d) => d.flipped);
      expect(await count()).toBe(flipped.length);
      if (flipped.length > 0) await expect(page.locator('#list .doc').first().getAttribute('data-id')).resolves.toBe(flipped[0].id);
      await page.uncheck('#f-flipped');

      // A refusal label the first run gave (stories260K rarely refuses: whichever it used most).
      const labels = data.docs.filter((d) => d.task === 'refusal').flatMap((d) => d.runs[0]?.labels ?? []);
      const label = ['refused', 'deflected', 'complied'].sort((a, b) => labels.filter((l) => l === b).length - labels.filter((l) => l === a).length)[0];
      await page.selectOption('#f-label', label);
      expect(await count()).toBe(data.docs.filter((d) => d.runs[0]?.labels.includes(label)).length);
      expect(await count()).toBeGreaterThan(0);
      await page.selectOption('#f-label', '');

      const target = data.docs[data.docs.length - 1].id;
      await page.fill('#f-text', target);
      expect(await count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator(`#list .doc[data-id="${target}"]`).count()).toBe(1);
      await page.fill('#f-text', '');

      // Paging.
      if (data.docs.length > 20) {
        await page.click('#next');
        expect(await page.locator('#page').textContent()).toMatch(/^page 2 of /);
      }
      await shot('samples', '#samples');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

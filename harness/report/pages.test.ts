import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineRun, sampleModel } from '../capacity/fixtures.ts';
import { renderCapacityHtml } from '../capacity/capacity-html.ts';
import { capacityReportSchema, CAPACITY_SCHEMA_VERSION } from '../capacity/capacity-schema.ts';
import { planCapacity } from '../capacity/plan.ts';
import { profileSchema } from '../capacity/profile-schema.ts';
import { CHROMIUM, openPage, overlaps, withBrowser, type PageCheck } from './fixtures/browser.ts';
import { realReport, realSummaries } from './fixtures/read-back.ts';
import { combinedVariants, renderCombinedHtml } from './combined-report.ts';
import { renderHtml } from './html-reporter.ts';
import { writeRunIndex } from './run-index.ts';
import { trendEntries, trendSeries } from './trend.ts';

// Every kind of report page in headless Chromium, from real runs where there are real runs: no script
// error, every chart drawn, no two timeline labels on top of each other, zoom that follows, and the
// combined report and the trend present.

let dir: string;
let context: BrowserContext;
let release: () => void;
const opened: Promise<void> = new Promise((r) => (release = r));

async function open(name: string, html: string): Promise<PageCheck> {
  const file = join(dir, name);
  await writeFile(file, html);
  return openPage(context, file);
}

function expectDrawn(p: PageCheck, charts: number) {
  expect(p.errors).toEqual([]);
  expect(charts).toBeGreaterThan(0);
  expect(p.figures).toBe(charts);
  expect(p.rendered).toBe(charts);
  expect(p.canvases).toBe(charts);
}

describe.skipIf(!existsSync(CHROMIUM))('report pages in headless Chromium', () => {
  let done: Promise<void>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pages-'));
    let ready!: () => void;
    const up = new Promise<void>((r) => (ready = r));
    done = withBrowser(async (c) => {
      context = c;
      ready();
      await opened;
    });
    await up;
  }, 60_000);
  afterAll(async () => {
    release();
    await done;
    await rm(dir, { recursive: true, force: true });
  });

  it('report.html of a real config-rollback incident: every chart drawn, no script error, no two labels overlap', async () => {
    const report = realReport('config-rollback-incident');
    const v = report.variants[0]!;
    expect(v.marks.length).toBeGreaterThan(15); // a busy timeline: 15 actions in 48 s, alerts, the fault
    const p = await open('report.html', renderHtml(report));
    expectDrawn(p, v.charts.length);
    for (const chart of p.labels) {
      expect(chart.boxes.length, chart.chart).toBeGreaterThan(0);
      expect(overlaps(chart.boxes), chart.chart).toEqual([]);
      // Every mark is on the chart: as its own number or inside a range label.
      const shown = chart.boxes.flatMap((b) => (b.text.includes('–') ? (([a, z]) => Array.from({ length: z! - a! + 1 }, (_, i) => a! + i))(b.text.split('–').map(Number)) : [Number(b.text)]));
      expect(shown).toEqual(v.marks.map((m) => m.n));
    }
    // The legend gives the words for the numbers.
    expect(await p.page.locator(`#variant-incident ol.marks li`).count()).toBe(v.marks.length);
  });

  it('dragging across a chart zooms every chart of the variant to that range; a double-click zooms out', async () => {
    const p = await open('zoom.html', renderHtml(realReport('config-rollback-incident')));
    const first = p.page.locator('figure.chart').first();
    await first.scrollIntoViewIfNeeded();
    const box = (await first.locator('.u-over').boundingBox())!;
    const y = box.y + box.height / 2;
    await p.page.mouse.move(box.x + box.width * 0.2, y);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await p.page.mouse.up();
    const ranges = await p.page.$$eval('figure.chart', (fs) => fs.map((f) => f.getAttribute('data-x-range')));
    expect(ranges.length).toBeGreaterThan(1);
    const [lo, hi] = ranges[0]!.split(',').map(Number);
    expect(lo).toBeGreaterThan(10);
    expect(hi).toBeLessThan(40);
    expect(new Set(ranges).size).toBe(1);
    await first.locator('.u-over').dblclick();
    const reset = await p.page.$$eval('figure.chart', (fs) => fs.map((f) => f.getAttribute('data-x-range')));
    expect(Number(reset[0]!.split(',')[1])).toBeGreaterThan(60);
    expect(new Set(reset).size).toBe(1);
    expect(p.errors).toEqual([]);
  });

  it('the combined report: both variants on every chart, the SLO table side by side, the timeline differences', async () => {
    const incident = realReport('config-rollback-incident');
    const remediated = realReport('config-rollback-remediated');
    const vs = combinedVariants([{ report: incident, href: null }, { report: remediated, href: null }]);
    const p = await open('combined-report.html', renderCombinedHtml(incident.scenario, vs));
    const ids = new Set([...incident.variants[0]!.charts, ...remediated.variants[0]!.charts].map((c) => c.id));
    expectDrawn(p, ids.size);
    for (const chart of p.labels) expect(overlaps(chart.boxes), chart.chart).toEqual([]);
    expect(await p.page.locator('table.compare tbody tr').count()).toBeGreaterThan(3);
    expect(await p.page.locator('#timeline-differences li').count()).toBeGreaterThan(0);
    // Each chart's legend names series of both variants.
    const legend = await p.page.locator('figure.chart').first().locator('.u-legend').innerText();
    expect(legend).toMatch(/incident: /);
    expect(legend).toMatch(/remediated: /);
  });

  it('index.html: every run linked, the trend per SLO with its sparkline', async () => {
    const runs = realSummaries();
    const entries = runs.flatMap((r) => trendEntries(r.summary));
    // Two earlier runs of the same variants: the trend reads oldest first.
    const earlier = (k: number) => entries.map((e) => ({ ...e, runId: `${e.runId}-earlier-${k}`, slos: e.slos.map((s) => ({ ...s, value: s.value === null ? null : s.value * (1 - k / 10) })) }));
    const series = trendSeries([...earlier(2), ...earlier(1), ...entries]);
    const rows = runs.map((r) => ({ scenario: r.summary.scenario.id, variant: r.summary.variants[0]!.variant, status: r.summary.variants[0]!.verdict.status, met: r.summary.variants[0]!.verdict.met, runDir: join(dir, r.summary.scenario.id, r.summary.runId), error: undefined }));
    await writeRunIndex(dir, rows, '2026-12-03T07:37:42Z', { series, combined: new Map([['config-rollback', join(dir, 'config-rollback', 'combined-report.html')]]) });
    const p = await openPage(context, join(dir, 'index.html'));
    expect(p.errors).toEqual([]);
    expect(p.rendered).toBe(0);
    expect(await p.page.locator('#runs tbody tr').count()).toBe(runs.length);
    expect(await p.page.locator('#trend tbody tr').count()).toBe(series.length);
    expect(await p.page.locator('#trend svg.sparkline circle').count()).toBeGreaterThan(series.length);
    expect(await p.page.locator('#combined a').count()).toBe(1);
  });

  it('capacity-report.html draws every chart with the same client', async () => {
    const profile = profileSchema.parse(JSON.parse(readFileSync(new URL('../../capacity/profile.json', import.meta.url), 'utf8')));
    const model = sampleModel();
    const report = capacityReportSchema.parse({
      schemaVersion: CAPACITY_SCHEMA_VERSION,
      generatedAt: '2026-12-03T08:00:00Z',
      runId: 'capacity-sample',
      profile: { file: 'capacity/profile.json', name: profile.name },
      machine: { cpus: 2, node: 'v20' },
      slo: profile.slo,
      target: profile.target,
      connectionRuns: [lineRun({ id: 'ws-120', memoryMb: 120, use: 'fit', baseMb: 20, mbPerConnection: 1, oomAt: 100 }), lineRun({ id: 'ws-160', memoryMb: 160, use: 'holdout', baseMb: 20, mbPerConnection: 1, oomAt: 140 })],
      messageRuns: [],
      model,
      plan: planCapacity(model, profile.target),
      durationS: 60,
    });
    const html = renderCapacityHtml(report);
    const charts = (html.match(/<figure class="chart"/g) ?? []).length;
    const p = await open('capacity-report.html', html);
    expectDrawn(p, charts);
  });

  it('a page whose script fails is caught (the check can fail)', async () => {
    const p = await open('broken.html', renderHtml(realReport('oom-cascade-incident')).replace('var uPlot=', 'var uPlotBroken='));
    expect(p.errors.join('\n')).toMatch(/uPlot is not defined/);
    expect(p.rendered).toBeNull();
  });
});

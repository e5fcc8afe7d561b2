import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { embedJson } from './html-page.ts';
import { renderHtml } from './html-reporter.ts';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

async function chromium(args: string[]): Promise<string> {
  const profile = await mkdtemp(path.join(tmpdir(), 'chromium-'));
  const { stdout } = await run(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args],
    { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
  );
  return stdout;
}

describe('report.html', () => {
  it('is self-contained: no external scripts, styles or fetches', async () => {
    const html = renderHtml(await sampleReport());
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya)/); // only uPlot's licence banner names a URL
    expect(html).toContain('var uPlot=');
    expect(html).toContain('<td class="fail">fail</td>');
  });

  it('lists the typed evidence apart from the log lines: every final pod state and what faults left', async () => {
    const report = await sampleReport();
    const incident = report.variants[0]!;
    expect(incident.evidence.pods).toHaveLength(3);
    const html = renderHtml(report);
    expect(html).toContain('Evidence: pods, deploys, gates, heals (4)');
    expect(html).toContain('29.7s final new-0 (new): exited, exit 137');
    expect(html).toContain('29.6s faults left: public/ws weights old 30, new 70');
  });

  it('embeds JSON that cannot close its script tag', () => {
    expect(embedJson({ s: '</script><!--' })).toBe('{"s":"\\u003c/script>\\u003c!--"}');
  });

  it.skipIf(!existsSync(CHROMIUM))('renders in headless Chromium: charts drawn by the script, no script error, a real screenshot', async () => {
    const report = await sampleReport();
    const dir = await mkdtemp(path.join(tmpdir(), 'report-'));
    const file = path.join(dir, 'report.html');
    await writeFile(file, renderHtml(report));
    const url = pathToFileURL(file).href;

    const dom = await chromium(['--dump-dom', url]);
    const expected = report.variants.reduce((n, v) => n + v.charts.length, 0);
    expect(expected).toBeGreaterThan(0);
    expect(dom).not.toContain('data-error=');
    expect(dom).toContain(`data-rendered="${expected}"`);
    expect(dom.match(/<div class="uplot/g)?.length).toBe(expected);
    expect(dom.match(/<canvas/g)?.length).toBe(expected);

    const shot = path.join(dir, 'report.png');
    await chromium([`--screenshot=${shot}`, '--window-size=1400,2400', url]);
    expect(existsSync(shot)).toBe(true);
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });

  it.skipIf(!existsSync(CHROMIUM))('a script error is caught by the check (the check can fail)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'report-'));
    const file = path.join(dir, 'broken.html');
    const html = renderHtml(await sampleReport()).replace('var uPlot=', 'var uPlotBroken=');
    await writeFile(file, html);
    const dom = await chromium(['--dump-dom', pathToFileURL(file).href]);
    expect(dom).toContain('data-error="Uncaught ReferenceError: uPlot is not defined"');
    expect(dom).not.toContain('data-rendered=');
  });
});

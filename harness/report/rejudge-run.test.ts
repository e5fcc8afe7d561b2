import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHistoryFile } from '../history/ndjson.ts';
import tiny from '../scenario/fixtures/tiny.ts';
import { validateScenario } from '../scenario/resolve.ts';
import sampleHistory from './fixtures/sample-history.ts';
import { rejudgeRun } from './rejudge-run.ts';

const plan = validateScenario(tiny, 'tiny.ts').resolved.remediated!;

async function runDir(name: string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'rejudge-')), name);
  await mkdir(dir);
  return dir;
}

async function outputs(dir: string) {
  const read = (f: string) => readFile(path.join(dir, f), 'utf8');
  return { summary: JSON.parse(await read('summary.json')), markdown: await read('summary.md'), html: await read('report.html'), junit: await read('junit.xml') };
}

describe('harness report on a saved run (rejudgeRun)', () => {
  it('a finished run re-judges held and its outputs carry no unfinished note', async () => {
    const dir = await runDir('tiny-remediated-r1');
    await writeHistoryFile(path.join(dir, 'history.ndjson'), sampleHistory('remediated'));
    const r = await rejudgeRun({ runDir: dir, runId: 'r1' }, plan);
    expect(r.judgement.verdict).toMatchObject({ status: 'held', met: true });
    expect(r.unfinished).toBeUndefined();
    const o = await outputs(dir);
    expect(o.summary.unfinished).toBeNull();
    expect(o.markdown).not.toContain('did not finish');
    expect(o.html).not.toContain('did not finish');
    expect(o.junit).not.toContain('the run saw enough to judge');
    expect(o.summary.variants[0].verdict.evidenceGaps).toEqual([]);
  });

  it('a .partial directory with a complete history: unknown, and every output says the run did not finish', async () => {
    const dir = await runDir('tiny-remediated-r2.partial');
    await writeHistoryFile(path.join(dir, 'history.ndjson'), sampleHistory('remediated'));
    const r = await rejudgeRun({ runDir: dir, runId: 'r2' }, plan);
    expect(r.judgement.verdict).toMatchObject({ status: 'inconclusive', met: false });
    expect(r.judgement.slos.filter((s) => s.status === 'pass')).toEqual([]);
    expect(r.unfinished).toBe('the run directory is still .partial: the run was interrupted or failed');
    const o = await outputs(dir);
    expect(o.summary.unfinished).toBe(r.unfinished);
    expect(o.summary.exitCode).toBe(1);
    expect(o.summary.variants[0].verdict.status).toBe('inconclusive');
    expect(o.markdown).toContain(`**This run did not finish** (${r.unfinished})`);
    expect(o.html).toContain('<strong>This run did not finish</strong> (the run directory is still .partial');
    // Every SLO case would pass on this history: the extra case keeps a junit-only CI red too.
    expect(o.junit).toContain('name="remediated › the run saw enough to judge">\n      <error message="unknown: the run directory is still .partial');
    expect(o.junit).toMatch(/<testsuite name="tiny \/ remediated" tests="\d+" failures="0" errors="[1-9]\d*"/);
    expect(o.summary.variants[0].verdict.evidenceGaps).toEqual([r.unfinished]);
  });

  it('a history cut mid-line: unknown, the torn line named, outputs say the run did not finish', async () => {
    const dir = await runDir('tiny-remediated-r3.partial');
    const full = sampleHistory('remediated');
    const text = full.map((e) => JSON.stringify(e)).join('\n');
    await writeFile(path.join(dir, 'history.ndjson'), text.slice(0, Math.floor(text.length / 2)));
    const r = await rejudgeRun({ runDir: dir, runId: 'r3' }, plan);
    expect(r.judgement.verdict.status).toBe('inconclusive');
    expect(r.unfinished).toMatch(/^history incomplete \(ends at t=\d+\.\ds of 30s\); its last line \(\d+\) was cut mid-line$/);
    expect((await outputs(dir)).summary.unfinished).toBe(r.unfinished);
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHistoryFile, readHistoryFile } from '../history/ndjson.ts';
import { readRunMeta } from '../history/run-meta.ts';
import sampleHistory from './fixtures/sample-history.ts';
import { sampleJudgements } from './fixtures/sample-run.ts';
import { writeRunReports } from './write-run-reports.ts';
import { judgeVariant } from '../verdict/judge.ts';

describe('writeRunReports', () => {
  it('writes the five reports into the run directory', async () => {
    const runDir = await mkdtemp(path.join(tmpdir(), 'run-'));
    const [incident] = await sampleJudgements();
    const written = await writeRunReports({ runId: 'run-1', runDir }, incident!);
    expect(written.files.map((f) => path.basename(f))).toEqual(['summary.json', 'junit.xml', 'report.html', 'summary.md', 'metrics.om']);
    for (const f of written.files) expect(existsSync(f)).toBe(true);
    expect(JSON.parse(await readFile(written.summary, 'utf8')).variants[0].verdict.status).toBe('reproduced');
  });

  it('a saved history re-judges to the same verdict without re-running (harness report)', async () => {
    const runDir = await mkdtemp(path.join(tmpdir(), 'run-'));
    const [incident] = await sampleJudgements();
    const file = path.join(runDir, 'history.ndjson');
    await writeHistoryFile(file, sampleHistory('incident'));
    expect((await readRunMeta(file))?.variant).toBe('incident');
    const scenario = incident!.scenario;
    const again = await judgeVariant(scenario, readHistoryFile(file));
    expect(again.slos).toEqual(incident!.slos);
    expect(again.verdict).toEqual(incident!.verdict);
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryParseError } from './errors.ts';
import type { HistoryEvent } from './events.ts';
import { FileHistory } from './file-history.ts';
import { readHistoryFile, writeHistoryFile } from './ndjson.ts';

async function collect(it: AsyncIterable<HistoryEvent>): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const events: HistoryEvent[] = [
  { type: 'run.meta', t: 0, runId: 'r1', scenarioId: 'tiny', variant: 'incident', seed: 7, startedAt: '2026-01-01T00:00:00Z' },
  { type: 'connect.outcome', t: 1200, client: 'c1', transport: 'ws', source: 'k6', deployment: 'new', ok: false, reason: 'close', code: 1006 },
  { type: 'action.applied', t: 1300, index: 0, action: 'pod.kill', target: 'new/0', evidence: { oomKilled: false, exitCode: 137 } },
];

describe('NDJSON history files', () => {
  it('round-trips events', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hist-'));
    const file = path.join(dir, 'history.ndjson');
    await writeHistoryFile(file, events);
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
    expect(await collect(readHistoryFile(file))).toEqual(events);
  });

  it('reads a pod sample from before Docker\'s OOM flag was recorded: a sample in state oomKilled had it set', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hist-'));
    const file = path.join(dir, 'history.ndjson');
    const old = (state: string) => ({ type: 'pod.sample', t: 1000, deployment: 'new', pod: 'new-1', state, ready: false, restarts: 0, connections: {} });
    await writeFile(file, `${JSON.stringify(old('oomKilled'))}\n${JSON.stringify(old('exited'))}\n`);
    const [killed, exited] = await collect(readHistoryFile(file));
    expect(killed).toMatchObject({ state: 'oomKilled', oomKilled: true });
    expect(exited).not.toHaveProperty('oomKilled');
  });

  it('names the file and line of a malformed event', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hist-'));
    const file = path.join(dir, 'history.ndjson');
    await writeFile(file, `${JSON.stringify(events[0])}\n\n{"type":"pod.sample","t":1}\n`);
    const err = await collect(readHistoryFile(file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryParseError);
    expect((err as HistoryParseError).code).toBe('HISTORY_INVALID');
    expect((err as Error).message).toMatch(/history\.ndjson:3: not a history event \(deployment: /);
  });

  it('FileHistory streams to disk and reads back what was appended', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hist-'));
    const file = path.join(dir, 'history.ndjson');
    const h = new FileHistory(file, { bufferBytes: 50 });
    for (const e of events) h.append(e);
    h.append({ type: 'k6.point', t: 2000, metric: 'ws_sessions', value: 1 });
    expect(h.stats().byType['k6.point']).toBe(1);
    await h.close();
    const back = await collect(readHistoryFile(file));
    expect(back).toHaveLength(4);
    expect(back[3]).toEqual({ type: 'k6.point', t: 2000, metric: 'ws_sessions', value: 1, tags: {} });
  });

  it('a torn last line (cut mid-line, no newline) ends the history there instead of throwing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hist-'));
    const file = path.join(dir, 'history.ndjson');
    const whole = events.map((e) => JSON.stringify(e)).join('\n');
    await writeFile(file, whole.slice(0, whole.length - 12));
    const torn: number[] = [];
    expect(await collect(readHistoryFile(file, { onTornTail: (n) => torn.push(n) }))).toEqual(events.slice(0, 2));
    expect(torn).toEqual([3]);
  });

  it('a malformed last line that ends with a newline is corruption, not a cut: it throws', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hist-'));
    const file = path.join(dir, 'history.ndjson');
    await writeFile(file, `${JSON.stringify(events[0])}\n{"type":"run.me\n`);
    const err = await collect(readHistoryFile(file, { onTornTail: () => undefined })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryParseError);
    expect((err as Error).message).toMatch(/history\.ndjson:2: expected one JSON object per line/);
  });
});

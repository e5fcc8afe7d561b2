import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listMutations, parseMutation, replayOrder, selectMutations } from './mutation-patches.ts';

const DIFF = 'diff --git a/src/x.ts b/src/x.ts\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-a\n+b\n';
const header = (id: string) => `Mutation: ${id}\nPart: hub / fan-out\nBug: a bug that is\n  described on two lines.\nCaught by: the loss SLO.\n\n`;

describe('mutation patch headers', () => {
  it('reads the four fields, joining indented continuation lines', () => {
    expect(parseMutation('/m/01-a.patch', header('01-a') + DIFF)).toEqual({
      id: '01-a',
      file: '/m/01-a.patch',
      part: 'hub / fan-out',
      bug: 'a bug that is described on two lines.',
      caughtBy: 'the loss SLO.',
      replayFirst: [],
    });
  });

  it('replays the scenarios a header names first, then the others, skipping names not asked for', () => {
    const m = parseMutation('/m/01-a.patch', header('01-a').replace('\n\n', '\nReplay first: c, x\n\n') + DIFF);
    expect(m.replayFirst).toEqual(['c', 'x']);
    expect(replayOrder(m, ['a', 'b', 'c'])).toEqual(['c', 'a', 'b']);
  });

  it('refuses a patch without a diff, without a field, or whose header names another file', () => {
    expect(() => parseMutation('/m/01-a.patch', header('01-a'))).toThrow(/no diff/);
    expect(() => parseMutation('/m/01-a.patch', `Mutation: 01-a\nPart: hub\n\n${DIFF}`)).toThrow(/lacks "Bug:", "Caught by:"/);
    expect(() => parseMutation('/m/01-a.patch', header('02-b') + DIFF)).toThrow(/file is 01-a.patch/);
  });
});

describe('the committed mutations', () => {
  const all = listMutations();

  it('are at least eight, across every part of the server', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    const parts = new Set(all.map((m) => m.part));
    for (const part of ['hub / fan-out', 'WebSocket transport', 'HTTP fallback transport', 'REST API', 'webhooks', 'shared state (Redis)']) expect(parts).toContain(part);
    for (const m of all) expect(m.replayFirst.length, `${m.id}: Replay first`).toBeGreaterThan(0);
  });

  it('are behaviour bugs, not the root-cause switches the incident variants set', () => {
    const SWITCHES = /MAX_CONNECTIONS|OVER_CAP_MODE|RETAINED_BYTES|KEEPALIVE_DOUBLE|WEBHOOK_STREAM_ENABLED|FALLBACK_STREAM_WRITES|FALLBACK_MAX|FALLBACK_QUEUE|FALLBACK_REQUEST_COST|CONFIG_UNKNOWN_KEYS|switches\.\w+ ?=|env\.ts/;
    for (const m of all) expect(m.file.endsWith('.patch') && !SWITCHES.test(patchBody(m.file)), m.id).toBe(true);
  });

  it('are selected by number or by a part of the name, in the order asked, and an unknown one is named', () => {
    const first = all[0]!;
    const last = all.at(-1)!;
    expect(selectMutations(all, [last.id.slice(0, 2), first.id.slice(3)]).map((m) => m.id)).toEqual([last.id, first.id]);
    expect(selectMutations(all, []).length).toBe(all.length);
    expect(() => selectMutations(all, ['no-such-mutation'])).toThrow(/no mutation matches no-such-mutation; known: 01-/);
  });
});

function patchBody(file: string): string {
  // Only the changed lines: a header may mention a switch to say what the mutation is not.
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^[+-][^+-]/.test(l))
    .join('\n');
}
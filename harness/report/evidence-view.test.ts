import { describe, expect, it } from 'vitest';
import { CELL_MAX, evidenceView } from './evidence-view.ts';

// Evidence shapes as the faults record them (taken from a real config-rollback and connection-limit run).
const shift = { requested: { old: 90, new: 10 }, shifted: true, readBack: { 'public/ws': { old: 90, new: 10 }, 'public/fallback': { fallback: 100 }, 'public/rest': { old: 100 } } };
const refusedLog = '{"time":"2026-12-03T07:38:05.976Z","level":"error","pod":"ap3-1","msg":"config rejected","reason":"CONFIG_FILE /config/config.json: app version v1 does not know config key(s) metricsServiceAddress"}';
const rollback = {
  scope: 'app',
  from: 'v2 / config 2',
  to: 'v1 / config 2',
  running: { 'ap2-1': 'down', 'ap2-2': 'down', 'ap2-3': 'down', 'ap2-4': 'v1 / config 2', 'ap2-5': 'down' },
  locksLeft: ['ap2-1', 'ap2-2'],
  skippedLocked: [],
  pods: [
    { pod: 'ap2-1', outcome: 'refused', exitCode: 78, logLine: refusedLog },
    { pod: 'ap2-2', outcome: 'up', version: 'v1', configVersion: '2' },
  ],
};

describe('evidence as tables', () => {
  it('a weight shift: what was asked as one line, what was read back as a table per backend', () => {
    const v = evidenceView(shift);
    expect(v.facts).toEqual([
      { key: 'requested', value: { text: 'old: 90 · new: 10' } },
      { key: 'shifted', value: { text: 'true' } },
    ]);
    expect(v.tables).toEqual([
      {
        title: 'readBack',
        columns: ['', 'old', 'new', 'fallback'],
        rows: [
          [{ text: 'public/ws' }, { text: '90' }, { text: '10' }, { text: '' }],
          [{ text: 'public/fallback' }, { text: '' }, { text: '' }, { text: '100' }],
          [{ text: 'public/rest' }, { text: '100' }, { text: '' }, { text: '' }],
        ],
      },
    ]);
  });

  it('a roll-back: short facts, one row per pod, a long log line clipped with the whole text kept', () => {
    const v = evidenceView(rollback);
    expect(v.facts.map((f) => [f.key, f.value.text])).toEqual([
      ['scope', 'app'],
      ['from', 'v2 / config 2'],
      ['to', 'v1 / config 2'],
      ['locksLeft', 'ap2-1, ap2-2'],
      ['skippedLocked', 'none'],
    ]);
    expect(v.tables.map((t) => t.title)).toEqual(['running', 'pods']);
    expect(v.tables[0]!.rows.map((r) => r.map((c) => c.text))).toContainEqual(['ap2-4', 'v1 / config 2']);
    const pods = v.tables[1]!;
    expect(pods.columns).toEqual(['pod', 'outcome', 'exitCode', 'logLine', 'version', 'configVersion']);
    const log = pods.rows[0]![3]!;
    expect(log.text).toHaveLength(CELL_MAX);
    expect(log.text.endsWith('…')).toBe(true);
    expect(log.full).toBe(refusedLog);
    expect(pods.rows[1]!.map((c) => c.text)).toEqual(['ap2-2', 'up', '', '', 'v1', '2']);
  });

  it('no cell is longer than CELL_MAX, whatever the evidence', () => {
    const v = evidenceView({ ...rollback, nested: [{ deep: { a: [1, 2, { b: 'x'.repeat(500) }] } }], note: 'y'.repeat(300) });
    const cells = [...v.facts.map((f) => f.value), ...v.tables.flatMap((t) => t.rows.flat())];
    expect(cells.length).toBeGreaterThan(10);
    for (const c of cells) expect(c.text.length).toBeLessThanOrEqual(CELL_MAX);
  });

  it('no evidence is no facts and no tables', () => {
    expect(evidenceView(null)).toEqual({ facts: [], tables: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { clipLine, narrate, STORY_LINE_MAX } from './narrative.ts';

describe('the story', () => {
  it('clips a line to 160 characters on a word boundary, with an ellipsis', () => {
    const long = `At 23.6 s: #4 roll back app only (ap3) failed: ${'deploy.rollback(app) ap3 → v1 / config 2: gate failed (0 of 1 pod(s) of ap3 ready (want 1)); '.repeat(3)}`;
    const line = clipLine(long);
    expect(line.length).toBeLessThanOrEqual(STORY_LINE_MAX);
    expect(line.endsWith('…')).toBe(true);
    expect(long.startsWith(line.slice(0, -1))).toBe(true);
    expect(clipLine('short  and\nplain')).toBe('short and plain');
  });

  it('keeps every line short whatever the error texts, labels and SLO details', async () => {
    const v = (await sampleReport()).variants[0]!;
    const lines = narrate({
      ...v,
      actions: v.actions.map((a) => ({ ...a, label: 'x'.repeat(300), failedAtS: 3, error: 'y '.repeat(400) })),
      slos: v.slos.map((s) => ({ ...s, detail: 'z '.repeat(200) })),
      warnings: ['w '.repeat(200)],
    });
    expect(lines.length).toBeGreaterThan(4);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(STORY_LINE_MAX);
  });
});

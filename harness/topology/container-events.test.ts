import { describe, expect, it } from 'vitest';
import { parseEventChunk } from './container-events.ts';

const line = (action: string, attrs: Record<string, string> = {}) => JSON.stringify({ Type: 'container', Action: action, Actor: { ID: 'abc', Attributes: attrs } });

describe('parseEventChunk', () => {
  it('reads one event per line, with the exit code a die event carries', () => {
    const { events, rest } = parseEventChunk('', `${line('oom')}\n${line('die', { exitCode: '137' })}\n`);
    expect(events).toEqual([{ action: 'oom' }, { action: 'die', exitCode: 137 }]);
    expect(rest).toBe('');
  });

  it('keeps a line cut at a chunk boundary until the next chunk completes it', () => {
    const whole = `${line('die', { exitCode: '137' })}\n${line('oom')}\n`;
    const cut = whole.indexOf('oom') - 3;
    const first = parseEventChunk('', whole.slice(0, cut));
    expect(first.events).toEqual([{ action: 'die', exitCode: 137 }]);
    expect(first.rest).not.toBe('');
    const second = parseEventChunk(first.rest, whole.slice(cut));
    expect(second.events).toEqual([{ action: 'oom' }]);
    expect(second.rest).toBe('');
  });

  it('skips lines that are not events and exit codes that are not numbers', () => {
    const { events } = parseEventChunk('', `not json\n{"status":"x"}\n${line('die', { exitCode: 'n/a' })}\n\n`);
    expect(events).toEqual([{ action: 'die' }]);
  });
});

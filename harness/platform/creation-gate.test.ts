import { describe, expect, it } from 'vitest';
import { CreationGate, InterruptedError } from './creation-gate.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the creation gate', () => {
  it('refuses every start once closed, naming the signal, and aborts its signal', async () => {
    const gate = new CreationGate();
    await expect(gate.pass('pod web-1', async () => 'started')).resolves.toBe('started');
    gate.close('SIGTERM');
    expect(gate.signal.aborted).toBe(true);
    let ran = false;
    await expect(gate.pass('pod web-2', async () => (ran = true))).rejects.toThrow(InterruptedError);
    expect(ran).toBe(false);
    expect(() => gate.admit('k6')).toThrow(/interrupted \(SIGTERM\): not starting k6/);
  });

  it('lists creations in flight and settles only when the last one has, also after closing', async () => {
    const gate = new CreationGate();
    const a = deferred();
    const b = deferred();
    const first = gate.pass('container redis', () => a.promise);
    const second = gate.pass('container pod:web', () => b.promise);
    expect(gate.pending()).toEqual(['container redis', 'container pod:web']);
    gate.close('SIGINT');
    let settled = false;
    const waiting = gate.settled().then(() => (settled = true));
    a.resolve();
    await first;
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(gate.pending()).toEqual(['container pod:web']);
    b.resolve();
    await second;
    await waiting;
    expect(settled).toBe(true);
    expect(gate.pending()).toEqual([]);
  });

  it('counts passes so the test-only set-up pause can stop at the second creation', async () => {
    const gate = new CreationGate();
    const seen: number[] = [];
    await Promise.all([gate.pass('a', async (n) => seen.push(n)), gate.pass('b', async (n) => seen.push(n))]);
    expect(seen).toEqual([1, 2]);
  });
});

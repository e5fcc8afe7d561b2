/**
 * A fault hook for the harness's `pod.oom` action, off unless `HARNESS_MEMORY_HOOK=true`: memory
 * that grows inside the pod until the kernel's OOM killer ends it, the way a leak does. It is not
 * part of the Pusher API and never runs in a pod started without that variable.
 *
 *   POST /_harness/memory/grow?mbPerS=20[&maxMb=300]  → 202, growth starts (replaces any earlier one)
 *   GET  /_harness/memory                             → 200 {heldMb, growing}
 *
 * The memory is real: 1 MiB Buffers outside the V8 heap, each filled so its pages are touched and
 * count against the container's memory limit (a zero-filled allocation may stay untouched).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './log.ts';

/** Serves a request it owns and returns true; returns false for anything else. */
export type RequestHook = (req: IncomingMessage, res: ServerResponse) => boolean;

const MIB = 1024 * 1024;
const TICK_MS = 100;

export const MEMORY_HOOK_ENV = 'HARNESS_MEMORY_HOOK';

export function memoryGrowHook(env: Record<string, string | undefined>, log: Logger): RequestHook | undefined {
  if (env[MEMORY_HOOK_ENV] !== 'true') return undefined;
  const held: Buffer[] = [];
  let timer: NodeJS.Timeout | undefined;
  let owed = 0;

  const grow = (mbPerS: number, maxMb: number): void => {
    clearInterval(timer);
    owed = 0;
    timer = setInterval(() => {
      // Fractions carry over, so 5 MB/s is 5 MB/s even at 0.5 MB per tick.
      owed += (mbPerS * TICK_MS) / 1000;
      while (owed >= 1 && held.length < maxMb) {
        held.push(Buffer.allocUnsafe(MIB).fill(0x5a));
        owed -= 1;
      }
      if (held.length >= maxMb) {
        clearInterval(timer);
        timer = undefined;
      }
    }, TICK_MS);
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://pod');
    if (req.method === 'GET' && url.pathname === '/_harness/memory') {
      reply(res, 200, { heldMb: held.length, growing: timer !== undefined });
      return true;
    }
    if (req.method !== 'POST' || url.pathname !== '/_harness/memory/grow') return false;
    req.resume();
    const mbPerS = Number(url.searchParams.get('mbPerS'));
    const maxMb = url.searchParams.has('maxMb') ? Number(url.searchParams.get('maxMb')) : Number.MAX_SAFE_INTEGER;
    if (!(mbPerS > 0) || !(maxMb > 0)) {
      reply(res, 400, { error: 'expected mbPerS > 0 and, if given, maxMb > 0' });
      return true;
    }
    log.warn('harness memory hook: growing', { mbPerS, maxMb: Number.isSafeInteger(maxMb) && maxMb < Number.MAX_SAFE_INTEGER ? maxMb : null });
    grow(mbPerS, Math.floor(maxMb));
    reply(res, 202, { growMbPerS: mbPerS, heldMb: held.length });
    return true;
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

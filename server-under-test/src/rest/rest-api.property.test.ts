/** RestApi.handle driven by hostile requests (fake req/res: pure logic, unit speed). */
import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Hex, restSignature } from '../auth/signing.ts';
import { testConfig } from '../config/env.ts';
import { Hub } from '../hub/hub.ts';
import { silentLogger } from '../log.ts';
import { Metrics } from '../metrics.ts';
import { MemoryState } from '../state/memory-state.ts';
import { restBody, restTarget } from '../testing/hostile-arbitraries.ts';
import { RestApi } from './rest-api.ts';

const NOW = 1_700_000_000;
const config = testConfig({ APP_ID: '1', APP_KEY: 'k', APP_SECRET: 's' });
const state = new MemoryState();
const metrics = new Metrics('p', 'v1');
const hub = new Hub(config, state, metrics, silentLogger);
await state.start((m) => hub.deliver(m));
const api = new RestApi(config, hub, state, metrics, silentLogger, () => NOW);

function call(method: string, target: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = Object.assign(Readable.from(body.length ? [Buffer.from(body)] : []), { method, url: target, headers: {} }) as unknown as IncomingMessage;
    let status = 0;
    const res = {
      writeHead(s: number) {
        status = s;
        return res;
      },
      end() {
        resolve(status);
      },
    } as unknown as ServerResponse;
    try {
      // Not a REST path: the pod's router answers 404 for it.
      if (!api.handle(req, res)) resolve(404);
    } catch (err) {
      reject(err as Error);
    }
  });
}

/** Sign `target` as the `pusher` client would, so the hostile body reaches the handlers. */
function signed(method: string, path: string, body: string): string {
  const q: Record<string, string> = { auth_key: 'k', auth_timestamp: String(NOW), auth_version: '1.0' };
  if (body.length) q.body_md5 = md5Hex(Buffer.from(body));
  q.auth_signature = restSignature('s', method, path, q);
  return `${path}?${new URLSearchParams(q).toString()}`;
}

const documented = [200, 400, 401, 404, 413];

describe('RestApi.handle (property)', () => {
  it('answers a documented status, never 500, for hostile targets and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT'), restTarget, restBody, async (method, target, body) => {
        expect(documented).toContain(await call(method, target, body));
      }),
      { numRuns: 500 },
    );
  });

  it('signed requests with hostile bodies and channel paths answer 200/400/404/413, never 500', async () => {
    const path = fc.oneof(
      fc.constantFrom('/apps/1/events', '/apps/1/batch_events').map((p) => ['POST', p] as const),
      fc.constantFrom('/apps/1/channels', '/apps/1/channels/presence-a', '/apps/1/channels/presence-a/users', '/apps/1/channels/%E0%A4%A', '/apps/1/channels/a%20b/users').map((p) => ['GET', p] as const),
    );
    await fc.assert(
      fc.asyncProperty(path, restBody, async ([method, p], body) => {
        const b = method === 'GET' ? '' : body;
        const status = await call(method, signed(method, p, b), b);
        expect([200, 400, 404, 413]).toContain(status);
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * `harness conformance` against our server on a URL (a pod as a process), healthy and broken:
 * each broken server (a root-cause switch on, a mutated copy, wrong credentials) fails exactly
 * the checks that look at what it broke, so those checks can fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { prepareMutant } from '../mutation/mutant-build.ts';
import { listMutations, parseMutation } from '../mutation/mutation-patches.ts';
import { startServerProcess, TEST_APP, type ServerProcess } from '../load/testing/server-process.ts';
import type { CheckOutcome } from './check.ts';
import { CONFORMANCE_CHECKS } from './checks.ts';
import { runConformance, selectChecks } from './run-conformance.ts';
import { urlTarget, type ConformanceTarget } from './target.ts';
import { WebhookInbox } from './webhook-inbox.ts';

const servers: ServerProcess[] = [];
const inboxes: WebhookInbox[] = [];
const work = mkdtempSync(join(tmpdir(), 'conformance-mutant-'));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(inboxes.splice(0).map((i) => i.stop()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Our server with a webhook receiver, checked with `only` (all checks by default). */
async function conformance(env: Record<string, string>, opts: { only?: string[]; app?: { id?: string; key?: string; secret?: string }; main?: string } = {}): Promise<Map<string, CheckOutcome>> {
  const inbox = await WebhookInbox.start(TEST_APP, 0);
  inboxes.push(inbox);
  const server = await startServerProcess({ WEBHOOK_URL: inbox.url, ...env }, 30_000, opts.main);
  servers.push(server);
  const app = { ...TEST_APP, ...opts.app };
  const target: ConformanceTarget = urlTarget({ url: `ws://127.0.0.1:${server.port}`, appId: app.id, key: app.key, secret: app.secret, transports: ['ws', 'xhr_streaming', 'xhr_polling'], webhookPort: 1 });
  const outcomes = await runConformance(target, { timeoutMs: 4000, inbox, checks: selectChecks(opts.only) });
  return new Map(outcomes.map((o) => [o.id, o]));
}

const failing = (m: Map<string, CheckOutcome>): string[] => [...m.values()].filter((o) => o.status === 'fail').map((o) => o.id);
const statuses = (m: Map<string, CheckOutcome>): Record<string, string> => Object.fromEntries([...m.values()].map((o) => [o.id, o.status]));

describe('harness conformance against our server', () => {
  it('healthy: every check applies and passes', async () => {
    const m = await conformance({});
    expect(m.size).toBe(CONFORMANCE_CHECKS.length);
    expect(CONFORMANCE_CHECKS.length).toBeGreaterThanOrEqual(19);
    expect([...m.values()].filter((o) => o.status !== 'pass').map((o) => `${o.id}: ${o.detail}`)).toEqual([]);
  });

  it('KEEPALIVE_DOUBLE_4XX=true fails both keep-alive checks and no other REST check', async () => {
    const m = await conformance({ KEEPALIVE_DOUBLE_4XX: 'true' }, { only: ['rest.'] });
    expect(m.size).toBe(6);
    expect(failing(m)).toEqual(['rest.keepalive-raw', 'rest.keepalive-pusher-client']);
    expect(m.get('rest.keepalive-raw')!.detail).toMatch(/read 413 .* a response that is not its own/);
    expect(m.get('rest.keepalive-pusher-client')!.detail).toMatch(/expected 200, got 413/);
  });

  it('FALLBACK_STREAM_WRITES=false fails the fallback clients\' webhooks only; WEBHOOK_STREAM_ENABLED=false the WebSocket ones', async () => {
    const fallbackOff = await conformance({ FALLBACK_STREAM_WRITES: 'false' }, { only: ['webhooks.'] });
    expect(fallbackOff.size).toBe(5);
    expect(failing(fallbackOff)).toEqual(['webhooks.xhr_streaming-occupied', 'webhooks.xhr_polling-occupied']);
    expect(fallbackOff.get('webhooks.xhr_polling-occupied')!.detail).toMatch(/no channel_occupied webhook .* received on it: none/);
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    const wsOff = await conformance({ WEBHOOK_STREAM_ENABLED: 'false' }, { only: ['webhooks.'] });
    expect(failing(wsOff)).toEqual(['webhooks.occupied-vacated', 'webhooks.member-added-removed', 'webhooks.client-event']);
  });

  it('a server that never writes member_removed (mutation 03) fails the member webhook check', async () => {
    const mutation = listMutations().find((x) => x.id === '03-hub-member-removed-webhook-dropped');
    expect(mutation).toBeDefined();
    const mutant = await prepareMutant(mutation!, work);
    const m = await conformance({}, { only: ['webhooks.member-added-removed', 'webhooks.occupied-vacated'], main: join(mutant.dir, 'src/main.ts') });
    expect(statuses(m)).toEqual({ 'webhooks.occupied-vacated': 'pass', 'webhooks.member-added-removed': 'fail' });
    expect(m.get('webhooks.member-added-removed')!.detail).toMatch(/no member_removed \(bob\) webhook/);
  });

  it.each([
    ['lenient-channel-auth', 'channels.private-forged', /succeeded with a signature made with the wrong secret/],
    ['client-event-echo', 'client-events.private', /client events echoed to their sender: expected \[\], got \[\{"from":"a"\}\]/],
  ])('a server broken by fixtures/%s.patch fails %s', async (patch, check, why) => {
    const file = fileURLToPath(new URL(`fixtures/${patch}.patch`, import.meta.url));
    const mutant = await prepareMutant(parseMutation(file, readFileSync(file, 'utf8')), work);
    const m = await conformance({}, { only: ['channels.', 'client-events.'], main: join(mutant.dir, 'src/main.ts') });
    expect(m.size).toBe(5);
    expect(failing(m)).toEqual([check]);
    expect(m.get(check)!.detail).toMatch(why);
  });

  it('the wrong secret fails every check that signs; the wrong key fails the connection', async () => {
    const m = await conformance({}, { only: ['ws.connect', 'channels.p', 'rest.signature-enforced', 'rest.batch-events'], app: { secret: 'not-the-secret' } });
    // Connecting needs no secret, and a request signed wrongly is refused either way.
    expect(statuses(m)).toEqual({
      'ws.connect': 'pass',
      'channels.public': 'fail',
      'channels.private': 'fail',
      'channels.private-forged': 'fail',
      'channels.presence': 'fail',
      'rest.batch-events': 'fail',
      'rest.signature-enforced': 'pass',
    });
    expect(m.get('channels.private')!.detail).toMatch(/subscription to private-conf-.* refused|4009/);
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    const k = await conformance({}, { only: ['ws.connect'], app: { key: 'not-the-key' } });
    expect(statuses(k)).toEqual({ 'ws.connect': 'fail' });
  });
});

describe('the harness conformance command', () => {
  it('prints one line per check, writes JUnit, exits 0 on a healthy server and 1 on a broken one', async () => {
    const junitDir = mkdtempSync(join(tmpdir(), 'conformance-junit-'));
    try {
      for (const [env, code] of [[{}, 0], [{ KEEPALIVE_DOUBLE_4XX: 'true' }, 1]] as const) {
        const server = await startServerProcess(env);
        servers.push(server);
        const junit = join(junitDir, `${code}.xml`);
        const args = ['harness/cli/bin.js', 'conformance', '--url', `http://127.0.0.1:${server.port}`, '--app-id', TEST_APP.id, '--key', TEST_APP.key, '--secret', TEST_APP.secret, '--only', 'rest.', '--transports', 'ws', '--junit', junit];
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
        expect(r.status, r.stdout + r.stderr).toBe(code);
        const lines = r.stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
        expect(lines).toHaveLength(6);
        expect(lines.filter((l) => l.startsWith('FAIL')).length).toBe(code === 0 ? 0 : 2);
        expect(readFileSync(junit, 'utf8')).toContain(`tests="6" failures="${code === 0 ? 0 : 2}"`);
        await server.stop();
      }
    } finally {
      rmSync(junitDir, { recursive: true, force: true });
    }
  });

  it('exits 2 before starting anything on a URL off this machine', () => {
    const r = spawnSync(process.execPath, ['harness/cli/bin.js', 'conformance', '--url', 'ws://192.168.1.10:6001'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing a host outside 127\.0\.0\.0\/8/);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { conformanceExitCode, outcomeLine, summaryLine } from '../../conformance/check.ts';
import { renderConformanceJunit } from '../../conformance/junit.ts';
import { assertListening } from '../../conformance/listening.ts';
import { startProfileTarget } from '../../conformance/profile-target.ts';
import { runConformance, selectChecks } from '../../conformance/run-conformance.ts';
import { ConformanceInputError, urlTarget, type ConformanceTarget } from '../../conformance/target.ts';
import type { WebhookInbox } from '../../conformance/webhook-inbox.ts';
import { APP } from '../../load/app.ts';
import { Teardown, teardownOnExit } from '../../platform/teardown.ts';
import { serverProfile } from '../../servers/registry.ts';
import { DEFAULT_OUT } from './run.ts';

interface ConformanceOpts {
  server?: string;
  url?: string;
  appId?: string;
  key?: string;
  secret?: string;
  transports?: string;
  webhookPort?: string;
  payloadLimitKb?: string;
  only?: string;
  timeoutMs: string;
  junit?: string;
}

/** Flags that describe a server given by address: meaningless with --server (its profile says). */
const URL_ONLY = ['appId', 'key', 'secret', 'transports', 'webhookPort', 'payloadLimitKb'] as const;
const FLAG: Record<(typeof URL_ONLY)[number], string> = { appId: '--app-id', key: '--key', secret: '--secret', transports: '--transports', webhookPort: '--webhook-port', payloadLimitKb: '--payload-limit-kb' };

function positiveInt(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new ConformanceInputError(`${flag} ${value}: expected a whole number from 1 to ${max}`);
  return Number(value);
}

const list = (s: string | undefined): string[] | undefined => s?.split(',').map((x) => x.trim()).filter((x) => x.length > 0);

function targetFromUrl(url: string, opts: ConformanceOpts): ConformanceTarget {
  return urlTarget({
    url,
    appId: opts.appId ?? APP.id,
    key: opts.key ?? APP.key,
    secret: opts.secret ?? APP.secret,
    transports: list(opts.transports ?? 'ws,xhr_streaming,xhr_polling') ?? [],
    webhookPort: opts.webhookPort === undefined ? undefined : positiveInt('--webhook-port', opts.webhookPort, 65535),
    payloadLimitBytes: positiveInt('--payload-limit-kb', opts.payloadLimitKb ?? '10', 100_000) * 1024,
  });
}

export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('check a Pusher-compatible server with the real clients (pusher-js, the pusher REST client): one line per check, JUnit XML, exit 0 when every applicable check passes')
    .option('--server <profile>', 'start one pod of a server profile (sut, sockudo; docs/servers.md) and check it')
    .option('--url <base>', 'or check a running server on 127.0.0.1: ws://127.0.0.1:<port> or http://127.0.0.1:<port> (WebSocket, fallback and REST on that port)')
    .option('--app-id <id>', `with --url: the app id the server is configured with (default ${APP.id})`)
    .option('--key <key>', `with --url: the app key (default ${APP.key})`)
    .option('--secret <secret>', `with --url: the app secret: signs channel auth and REST requests, verifies webhooks (default ${APP.secret})`)
    .option('--transports <list>', 'with --url: the transports the server has; the others are skipped (default ws,xhr_streaming,xhr_polling)')
    .option('--webhook-port <port>', 'with --url: the 127.0.0.1 port the server posts webhooks to (the command listens there); without it the webhook checks are skipped')
    .option('--payload-limit-kb <n>', 'with --url: the largest event data the server accepts, in KB; the keep-alive checks send more (default 10, as Pusher)')
    .option('--only <ids>', 'comma list of check ids or id prefixes (e.g. rest.,webhooks.)')
    .option('--timeout-ms <ms>', 'bound on each wait inside a check', '5000')
    .option('--junit <file>', `JUnit XML output (default ${DEFAULT_OUT}/conformance/<server>.junit.xml)`)
    .action(async (opts: ConformanceOpts) => {
      // Everything the flags say is checked before anything starts (exit 2 with the fix).
      if (Boolean(opts.server) === Boolean(opts.url)) throw new ConformanceInputError('name exactly one server: --server <profile> (sut, sockudo) or --url ws://127.0.0.1:<port>');
      const checks = selectChecks(list(opts.only));
      const timeoutMs = positiveInt('--timeout-ms', opts.timeoutMs, 120_000);
      const profile = opts.server ? serverProfile(opts.server) : undefined;
      if (profile) {
        const given = URL_ONLY.filter((k) => opts[k] !== undefined).map((k) => FLAG[k]);
        if (given.length > 0) throw new ConformanceInputError(`${given.join(', ')} only go with --url: with --server the profile configures the pod`);
      }
      const urlGiven = opts.url ? targetFromUrl(opts.url, opts) : undefined;
      const junit = resolve(opts.junit ?? `${DEFAULT_OUT}/conformance/${profile?.name ?? 'url'}.junit.xml`);
      if (urlGiven) await assertListening(urlGiven.port);

      const runId = `conformance-${profile?.name ?? 'url'}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
      const teardown = new Teardown(runId);
      const release = teardownOnExit(teardown);
      const log = (l: string): void => console.error(l);
      try {
        let target = urlGiven;
        let inbox: WebhookInbox | undefined;
        if (profile) ({ target, inbox } = await startProfileTarget(profile, { runId, teardown, log }));
        const outcomes = await runConformance(target!, { timeoutMs, checks, inbox, onOutcome: (o) => console.log(outcomeLine(o)) });
        console.log(summaryLine(target!.server, outcomes));
        mkdirSync(dirname(junit), { recursive: true });
        writeFileSync(junit, renderConformanceJunit(target!.server, outcomes));
        console.log(`junit: ${junit}`);
        process.exitCode = conformanceExitCode(outcomes);
      } finally {
        for (const e of await teardown.run()) log(`  cleanup: ${e}`);
        release();
      }
    });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { conformanceExitCode, outcomeLine, summaryLine } from '../../conformance/check.ts';
import { renderConformanceJunit } from '../../conformance/junit.ts';
import { assertListening } from '../../conformance/listening.ts';
import { runConformance, selectChecks } from '../../conformance/run-conformance.ts';
import { ConformanceInputError, urlTarget } from '../../conformance/target.ts';
import { APP } from '../../load/app.ts';
import { DEFAULT_OUT } from './run.ts';

interface ConformanceOpts {
  url?: string;
  appId: string;
  key: string;
  secret: string;
  transports: string;
  webhookPort?: string;
  payloadLimitKb: string;
  only?: string;
  timeoutMs: string;
  junit?: string;
}

function positiveInt(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new ConformanceInputError(`${flag} ${value}: expected a whole number from 1 to ${max}`);
  return Number(value);
}

const list = (s: string | undefined): string[] | undefined => s?.split(',').map((x) => x.trim()).filter((x) => x.length > 0);

export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('check a Pusher-compatible server with the real clients (pusher-js, the pusher REST client): one line per check, JUnit XML, exit 0 when every applicable check passes')
    .option('--url <base>', 'a running server on 127.0.0.0/8: ws://127.0.0.1:<port> or http://127.0.0.1:<port> (WebSocket, fallback and REST on that port)')
    .option('--app-id <id>', 'app id the server is configured with', APP.id)
    .option('--key <key>', 'app key', APP.key)
    .option('--secret <secret>', 'app secret (signs channel auth and REST requests, verifies webhooks)', APP.secret)
    .option('--transports <list>', 'with --url: the transports the server has; the others are skipped', 'ws,xhr_streaming,xhr_polling')
    .option('--webhook-port <port>', 'with --url: the 127.0.0.1 port the server posts webhooks to (the command listens there); without it the webhook checks are skipped')
    .option('--payload-limit-kb <n>', 'the largest event data the server accepts, in KB (the keep-alive checks send more)', '10')
    .option('--only <ids>', 'comma list of check ids or id prefixes (e.g. rest.,webhooks.)')
    .option('--timeout-ms <ms>', 'bound on each wait inside a check', '5000')
    .option('--junit <file>', `JUnit XML output (default ${DEFAULT_OUT}/conformance/<server>.junit.xml)`)
    .action(async (opts: ConformanceOpts) => {
      // Everything the flags say is checked before a socket opens (exit 2 with the fix).
      if (!opts.url) throw new ConformanceInputError('name the server: --url ws://127.0.0.1:<port>');
      const checks = selectChecks(list(opts.only));
      const timeoutMs = positiveInt('--timeout-ms', opts.timeoutMs, 120_000);
      const target = urlTarget({
        url: opts.url,
        appId: opts.appId,
        key: opts.key,
        secret: opts.secret,
        transports: list(opts.transports) ?? [],
        webhookPort: opts.webhookPort === undefined ? undefined : positiveInt('--webhook-port', opts.webhookPort, 65535),
        payloadLimitBytes: positiveInt('--payload-limit-kb', opts.payloadLimitKb, 100_000) * 1024,
      });
      const junit = resolve(opts.junit ?? `${DEFAULT_OUT}/conformance/${target.server}.junit.xml`);
      await assertListening(target.port);
      const outcomes = await runConformance(target, { timeoutMs, checks, onOutcome: (o) => console.log(outcomeLine(o)) });
      console.log(summaryLine(target.server, outcomes));
      mkdirSync(dirname(junit), { recursive: true });
      writeFileSync(junit, renderConformanceJunit(target.server, outcomes));
      console.log(`junit: ${junit}`);
      process.exitCode = conformanceExitCode(outcomes);
    });
}

/**
 * A conformance target from a server profile (harness/servers/): one pod of that server alone,
 * configured with the harness's app and this command's webhook receiver; what its capabilities
 * leave out is skipped with the reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP } from '../load/app.ts';
import type { Teardown } from '../platform/teardown.ts';
import { prepareServer } from '../servers/prepare.ts';
import type { ServerProfile } from '../servers/profile.ts';
import { startStandalonePod } from '../servers/standalone-pod.ts';
import { profileAbsences } from './profile-absences.ts';
import { PUSHER_PAYLOAD_LIMIT_BYTES, type ConformanceTarget } from './target.ts';
import { WebhookInbox } from './webhook-inbox.ts';

export interface StartedProfileTarget {
  target: ConformanceTarget;
  inbox: WebhookInbox;
}

/** Everything started is added to `teardown` as soon as it exists. */
export async function startProfileTarget(profile: ServerProfile, opts: { runId: string; teardown: Teardown; log(line: string): void }): Promise<StartedProfileTarget> {
  const prepared = await prepareServer(profile, opts.log);
  const inbox = await WebhookInbox.start(APP, 0);
  opts.teardown.add('stop the webhook receiver', () => inbox.stop());
  const workDir = await mkdtemp(join(tmpdir(), `${opts.runId}-`));
  opts.teardown.add(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  const pod = await startStandalonePod(prepared, { runId: opts.runId, workDir, webhookUrl: inbox.url });
  opts.teardown.add(`remove pod ${pod.spec.name}`, () => pod.remove());
  if (!pod.ready) throw new Error(`${profile.name} pod did not become ready; last log lines:\n${await pod.logs(20).catch(() => '')}`);
  opts.log(`  ${profile.title}: one pod on 127.0.0.1:${pod.spec.port}, webhooks to ${inbox.url}`);
  return {
    inbox,
    target: { server: profile.name, port: pod.spec.port, app: { ...APP }, payloadLimitBytes: PUSHER_PAYLOAD_LIMIT_BYTES, absent: profileAbsences(profile.name, profile.capabilities) },
  };
}

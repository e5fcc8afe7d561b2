import { APP } from '../load/app.ts';
import { k6Env, k6ScriptPath } from '../load/k6-env.ts';
import { runK6 } from '../load/k6-runner.ts';
import { sleep } from '../load/timing.ts';
import { messageBreak } from './break-rules.ts';
import type { BreakInfo, MessageRunResult, MessageStep } from './capacity-schema.ts';
import { startCapacityPod } from './capacity-pod.ts';
import { runLabel, type BreakpointContext } from './connection-breakpoint.ts';
import { percentile } from './fit.ts';
import { readPod, settledDeath, readPodCounters, type PodCounters } from './pod-probe.ts';
import type { StartedPod } from '../topology/pod.ts';
import { MAX_MESSAGE_RUN_S, type MessageRun } from './profile-schema.ts';

const SUBSCRIBER_VUS = 10;
const WARM_UP_MS = 1000;

/** The offered publish rates of a run: start, start + step, ... up to max. */
export function rateSteps(run: Pick<MessageRun, 'startRatePerS' | 'stepRatePerS' | 'maxRatePerS'>): number[] {
  const rates: number[] = [];
  for (let r = run.startRatePerS; r <= run.maxRatePerS + 1e-9; r += run.stepRatePerS) rates.push(Math.round(r));
  return rates;
}

/** Pod counters are read this often during a step: its rates come from the readings inside the publishing. */
const STEP_SAMPLE_MS = 500;

/** Rates of a counter pair between two readings, per second of the readings' own timestamps. */
function ratesBetween(a: PodCounters, b: PodCounters) {
  const s = (b.at - a.at) / 1000;
  return { windowS: s, cpuCores: (b.cpuSeconds - a.cpuSeconds) / s, deliveredPerS: (b.messagesOut - a.messagesOut) / s };
}

/**
 * One k6 run of `stepS` at `rate` publishes/s. The pod's counters are read every STEP_SAMPLE_MS;
 * CPU and deliveries are rates between the first reading after k6's warm-up and the last one
 * before its last publish, divided by the time between them (k6's start-up and graceful stop are
 * outside the publishing, and a busy pod answers /metrics late: its readings carry their own time).
 */
async function publishStep(args: { pod: StartedPod; run: MessageRun; rate: number; repeat: number; fanOut: number; t0: number; signal: AbortSignal }) {
  const { pod, run, rate } = args;
  const before = await readPod(pod);
  const durations: { at: number; ms: number }[] = [];
  let publishes = 0;
  let unexpected = 0;
  let dropped = 0;
  const readings: PodCounters[] = [];
  let publishing = true;
  const sampler = (async () => {
    while (publishing) {
      const c = await readPodCounters(pod);
      if (c) readings.push(c);
      await sleep(STEP_SAMPLE_MS);
    }
  })();
  await runK6({
    script: k6ScriptPath('rest-publish.ts'),
    env: k6Env(
      'rest-publish.ts',
      // Enough VUs to keep the rate with requests taking up to a second (a throttled pod stalls in bursts).
      { port: pod.spec.port, app: APP, vus: Math.min(400, rate + 20), durationS: run.stepS },
      { RATE_PER_S: rate, CHANNELS: run.channels, PAYLOAD_BYTES: run.payloadBytes },
    ),
    maxDurationS: run.stepS + 15,
    signal: args.signal,
    onPoint: (p) => {
      if (p.metric === 'http_req_duration') durations.push({ at: p.time, ms: p.value });
      else if (p.metric === 'pusher_publish_results' && p.tags.status === '200') publishes += p.value;
      else if (p.metric === 'pusher_publish_unexpected') unexpected += p.value;
      else if (p.metric === 'dropped_iterations') dropped += p.value;
    },
  }).finally(() => {
    publishing = false;
  });
  await sampler;
  const after = await readPod(pod);
  // The first second of each k6 run is its own start-up (script compile, new keep-alive connections), not the pod.
  const from = Math.min(...durations.map((d) => d.at)) + WARM_UP_MS;
  const to = Math.max(...durations.map((d) => d.at));
  const first = readings.find((r) => r.at >= from);
  const last = readings.findLast((r) => r.at <= to);
  const whole = after.metrics && before.metrics ? ratesBetween(before.metrics, after.metrics) : undefined;
  const windowed = first && last && last.at - first.at >= 1000 ? ratesBetween(first, last) : whole;
  const delivered = whole ? whole.deliveredPerS * whole.windowS : 0;
  const cpuCores = windowed?.cpuCores ?? 0;
  const p99 = percentile(durations.filter((d) => d.at >= from).map((d) => d.ms), 99);
  const step: MessageStep = {
    atS: (after.at - args.t0) / 1000,
    offeredRatePerS: rate,
    repeat: args.repeat,
    windowS: windowed?.windowS ?? 0,
    publishes,
    publishP99Ms: p99 ?? null,
    unexpected,
    dropped,
    deliveredPerS: windowed?.deliveredPerS ?? 0,
    // Totals over the whole step: every accepted publish's deliveries, however late.
    deliveredRatio: publishes > 0 ? delivered / (publishes * args.fanOut) : null,
    cpuCores,
    utilisation: cpuCores / run.cpus,
    memoryMb: after.memoryMb,
  };
  return { step, pod: after };
}

/**
 * Messages per second on one pod (roles ws + rest, as one pod of the service publishes and
 * delivers): k6 holds `subscribers` WebSocket subscribers over `channels` channels, then k6
 * publishes through REST at rising rates, one k6 run per rate step and `repeats` runs per rate,
 * until the pod's CPU passes the planned utilisation (slo.maxCpuUtilisation) or it breaks
 * (delivered < published × fan-out, a non-200, OOM) or the last rate. The pod's own counters give the messages delivered and the
 * CPU they cost; publish latency is recorded.
 */
export async function runMessageBreakpoint(run: MessageRun, ctx: BreakpointContext): Promise<MessageRunResult> {
  const id = runLabel('messages', run.memoryMb, run.cpus);
  const fanOut = run.subscribers / run.channels;
  const pod = await startCapacityPod({ name: id, roles: 'ws,rest', memoryMb: run.memoryMb, cpus: run.cpus, retainedBytesPerConnection: ctx.retainedBytesPerConnection }, ctx);
  const abort = new AbortController();
  ctx.teardown.add(`stop ${id} load`, () => abort.abort());
  const perVu = Math.ceil(run.subscribers / SUBSCRIBER_VUS);
  const subscribers = runK6({
    script: k6ScriptPath('ws-subscribers.ts'),
    env: k6Env(
      'ws-subscribers.ts',
      { port: pod.spec.port, app: APP, vus: SUBSCRIBER_VUS, durationS: MAX_MESSAGE_RUN_S, maxConnections: perVu * SUBSCRIBER_VUS },
      { SOCKETS_PER_VU: perVu, CHANNELS: run.channels, RAMP_S: 2, RECONNECT: false },
    ),
    maxDurationS: MAX_MESSAGE_RUN_S + 15,
    signal: abort.signal,
  });
  const rates = rateSteps(run);
  ctx.log(`  ${id}: ${run.subscribers} subscribers on ${run.channels} channels (fan-out ${fanOut}), publish rate ${rates[0]}..${rates[rates.length - 1]}/s in steps of ${run.stepS} s`);

  // Every subscriber connected (and subscribed: the pod counts a connection once it is established).
  const t0 = Date.now();
  let ready = await readPod(pod);
  while ((ready.metrics?.connections ?? 0) < perVu * SUBSCRIBER_VUS && Date.now() - t0 < 20_000 && ready.running) {
    await sleep(250);
    ready = await readPod(pod);
  }
  await sleep(1000); // subscriptions follow the handshakes
  const steps: MessageStep[] = [];
  let brk: BreakInfo | undefined;
  rates: for (const rate of rates) {
    const repeats: MessageStep[] = [];
    for (let repeat = 0; repeat < run.repeats; repeat++) {
      if (Date.now() - t0 > MAX_MESSAGE_RUN_S * 1000) {
        brk = { kind: 'none', atS: (Date.now() - t0) / 1000, value: steps[steps.length - 1]?.offeredRatePerS ?? 0, reason: `no break within the run's ${MAX_MESSAGE_RUN_S} s bound` };
        break rates;
      }
      const { step, pod: after } = await publishStep({ pod, run, rate, repeat, fanOut, t0, signal: abort.signal });
      steps.push(step);
      repeats.push(step);
      ctx.log(
        `    ${rate}/s #${repeat + 1}: delivered ${Math.round(step.deliveredPerS)}/s (${step.deliveredRatio === null ? '—' : (step.deliveredRatio * 100).toFixed(1)}%), cpu ${step.cpuCores.toFixed(3)} (${(step.utilisation * 100).toFixed(0)}%) over ${step.windowS?.toFixed(1)} s, publish p99 ${step.publishP99Ms?.toFixed(1) ?? '—'} ms`,
      );
      if (!after.running) break;
    }
    const now = await readPod(pod);
    brk = messageBreak({ repeats, pod: now.running ? now : await settledDeath(pod, now), slo: ctx.slo, memoryMb: run.memoryMb });
    if (brk) break;
  }
  brk ??= { kind: 'none', atS: steps[steps.length - 1]?.atS ?? 0, value: rates[rates.length - 1] ?? 0, reason: `held the last rate step (${rates[rates.length - 1]}/s): the bound of this run` };
  abort.abort();
  await subscribers.catch(() => undefined);
  const end = await pod.state().catch(() => undefined);
  await pod.remove();
  ctx.log(`  ${id}: ${brk.kind} at ${brk.value} publishes/s: ${brk.reason}`);
  return {
    id,
    memoryMb: run.memoryMb,
    cpus: run.cpus,
    use: run.use,
    subscribers: run.subscribers,
    channels: run.channels,
    fanOut,
    steps,
    break: brk,
    pod: { oomKilled: end?.oomKilled ?? false, exitCode: end && !end.running ? end.exitCode : null, running: end?.running ?? false },
  };
}

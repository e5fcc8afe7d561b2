import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { creationGate } from '../platform/creation-gate.ts';
import { HARNESS_ENV } from '../platform/env.ts';
import { OWNER_ENV, ownerId } from '../platform/owner.ts';
import { trackHostProcess } from '../platform/host-processes.ts';
import { K6MissingError, toolPath } from '../platform/paths.ts';

/** One sample from k6's `--out json` stream. */
export interface K6Point {
  metric: string;
  /** Wall-clock time of the sample, ms since the epoch. */
  time: number;
  value: number;
  tags: Record<string, string>;
}

/**
 * The system tags every harness k6 run keeps on its samples: fewer than k6's default (no url, proto,
 * group…); the custom tags the scripts set remain. The TestRuns `harness export` writes keep the same.
 */
export const K6_SYSTEM_TAGS = 'status,method,name,scenario,expected_response,error_code';
/** How each sample line of k6's JSON output starts: its metric's name follows. */
const SAMPLE_PREFIX = '{"metric":"';

/** k6's documented exit codes that the harness distinguishes. */
export const K6_EXIT = {
  ok: 0,
  thresholdsFailed: 99,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
} as const;

export type K6Outcome = 'passed' | 'thresholds-failed' | 'killed' | 'error';

export interface K6Result {
  exitCode: number | null;
  outcome: K6Outcome;
  points: number;
  /** The last lines k6 wrote to stderr (its logs), for error messages. */
  stderrTail: string[];
}

export interface K6RunOptions {
  script: string;
  /** Passed as `-e KEY=VALUE`, read in the script as `__ENV.KEY`. */
  env?: Record<string, string | number>;
  /** Further `k6 run` flags, placed before the script (e.g. an execution segment: k6-segments.ts). */
  args?: readonly string[];
  onPoint?: (point: K6Point) => void;
  /** Metrics whose samples are skipped before parsing (k6 cannot switch its built-ins off; a sample per message adds up). */
  skipMetrics?: ReadonlySet<string>;
  /** Hard bound: k6 is killed if it runs longer than this, whatever the script says. */
  maxDurationS: number;
  signal?: AbortSignal;
}

function outcomeOf(code: number | null, killed: boolean): K6Outcome {
  if (killed) return 'killed';
  if (code === K6_EXIT.ok) return 'passed';
  if (code === K6_EXIT.thresholdsFailed) return 'thresholds-failed';
  return 'error';
}

/**
 * Runs k6 as a child process (always by its full path from the tool cache, so `harness down`
 * can tell our k6 from anyone else's) and streams its JSON output live to `onPoint`.
 */
export function runK6(opts: K6RunOptions): Promise<K6Result> {
  const k6 = toolPath('k6');
  if (!existsSync(k6)) return Promise.reject(new K6MissingError(k6));
  const args = ['run', '--quiet', '--summary-mode', 'disabled', '--out', 'json=-', '--system-tags', K6_SYSTEM_TAGS];
  for (const [key, value] of Object.entries(opts.env ?? {})) args.push('-e', `${key}=${value}`);
  args.push(...(opts.args ?? []), opts.script);

  try {
    creationGate.admit('k6');
  } catch (err) {
    return Promise.reject(err);
  }
  // The owner variable lets the next command find this k6 if the harness dies without killing it.
  const child = spawn(k6, args, {
    env: { ...process.env, ...HARNESS_ENV, [OWNER_ENV]: ownerId() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackHostProcess(child, 'k6');
  let points = 0;
  let killed = false;
  const stderrTail: string[] = [];

  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith(SAMPLE_PREFIX)) return; // metric declarations carry no sample
    if (opts.skipMetrics?.has(line.slice(SAMPLE_PREFIX.length, line.indexOf('"', SAMPLE_PREFIX.length)))) return;
    let parsed: { metric: string; data: { time: string; value: number; tags?: Record<string, string> } };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return; // the last line of a k6 killed mid-write is cut short
    }
    points++;
    opts.onPoint?.({
      metric: parsed.metric,
      time: Date.parse(parsed.data.time),
      value: parsed.data.value,
      tags: parsed.data.tags ?? {},
    });
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  });

  const kill = () => {
    killed = true;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, opts.maxDurationS * 1000);
  opts.signal?.addEventListener('abort', kill, { once: true });
  // A signal aborted before the start (a sibling process of a split run failed) stops it at once.
  if (opts.signal?.aborted) kill();

  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      resolve({ exitCode: code, outcome: outcomeOf(code, killed), points, stderrTail });
    });
  });
}

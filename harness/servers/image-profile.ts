import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { imageExists } from '../platform/images.ts';
import { serverCapabilitiesSchema } from '../plan/server-capabilities.ts';
import type { PodSpec } from '../topology/pod.ts';
import type { ServerRuntime } from '../topology/server-runtime.ts';
import { ServerProfileError, type ServerProfile } from './profile.ts';

/**
 * "An image you give": a team's own Pusher-compatible server as a profile, from an image already on
 * this machine and a small mapping file (docs/servers.md has an example). The file says how to
 * pass the pod's settings (placeholders in the command and environment), where the pod answers
 * readiness, health and metrics, what its metrics are called and what the server can do.
 */
export const PLACEHOLDERS = ['port', 'metricsPort', 'podName', 'appId', 'appKey', 'appSecret', 'redisUrl', 'webhookUrl', 'maxConnections'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const path = z.string().regex(/^\//, 'expected a path starting with /');
const metricSchema = z.strictObject({ metric: z.string().min(1) });

export const imageMappingSchema = z.strictObject({
  /** As named in reports and the matrix. */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase name (letters, digits, -)'),
  /** An image present on this machine (nothing is pulled): `docker images` lists it. */
  image: z.string().min(1),
  command: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  /** A line the server logs once it listens (a regular expression). */
  readyLog: z.string().min(1),
  readyPath: path,
  healthPath: path,
  metrics: z.strictObject({
    /** `same`: on the client port; `separate`: on {metricsPort}. */
    port: z.enum(['same', 'separate']),
    path,
    connections: z.strictObject({ metric: z.string().min(1), transportLabel: z.string().min(1).optional() }),
    refusals: z.strictObject({ metric: z.string().min(1), reasonLabel: z.string().min(1).optional() }).optional(),
    messagesOut: metricSchema.optional(),
  }),
  capabilities: serverCapabilitiesSchema,
  /** How a client sees a connection refused at the cap, e.g. `close:4100` or `http:503`. */
  capRefusal: z.string().regex(/^(close|http):\d+$/, 'expected close:<code> or http:<status>').optional(),
});
export type ImageMapping = z.infer<typeof imageMappingSchema>;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

function placeholdersIn(m: ImageMapping): Set<string> {
  const used = new Set<string>();
  for (const s of [...m.command, ...Object.values(m.env)]) for (const [, name] of s.matchAll(PLACEHOLDER)) used.add(name!);
  return used;
}

/** Reads and checks a mapping file; every problem is named with its field, before anything starts. */
export function loadImageMapping(file: string): ImageMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ServerProfileError(`--server image:${file}: cannot read the mapping file: ${(err as Error).message}`);
  }
  const parsed = imageMappingSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ServerProfileError(`--server image:${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  const m = parsed.data;
  const problems: string[] = [];
  try {
    new RegExp(m.readyLog);
  } catch {
    problems.push(`readyLog: ${JSON.stringify(m.readyLog)} is not a regular expression`);
  }
  const used = placeholdersIn(m);
  for (const name of used) if (!(PLACEHOLDERS as readonly string[]).includes(name)) problems.push(`{${name}} is not a placeholder; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
  const needs: [boolean, Placeholder, string][] = [
    [true, 'port', 'the pod must listen where the harness sends clients'],
    [m.metrics.port === 'separate', 'metricsPort', 'metrics.port is separate'],
    [m.capabilities.connectionCap, 'maxConnections', 'capabilities.connectionCap is true'],
    [m.capabilities.redisAdapter, 'redisUrl', 'capabilities.redisAdapter is true'],
    [m.capabilities.webhooks.length > 0, 'webhookUrl', 'capabilities.webhooks is not empty'],
  ];
  for (const [needed, name, why] of needs) if (needed && !used.has(name)) problems.push(`{${name}} is used nowhere in command or env, but ${why}`);
  if (problems.length) throw new ServerProfileError(`--server image:${file}: ${problems.join('; ')}`);
  return m;
}

function fill(template: string, values: Record<Placeholder, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => values[name as Placeholder] ?? '');
}

export function imageProfile(m: ImageMapping): ServerProfile {
  const runtime = (image: string): ServerRuntime => ({
    name: m.name,
    separateMetricsPort: m.metrics.port === 'separate',
    readyPath: m.readyPath,
    healthPath: m.healthPath,
    metricsPath: m.metrics.path,
    metricNames: {
      connections: m.metrics.connections,
      ...(m.metrics.refusals ? { refusals: m.metrics.refusals } : {}),
      ...(m.metrics.messagesOut ? { messagesOut: m.metrics.messagesOut } : {}),
    },
    webhookDispatcher: false,
    launch: async (spec: PodSpec) => {
      const e = spec.env;
      const values: Record<Placeholder, string> = {
        port: String(spec.port),
        metricsPort: spec.metricsPort === undefined ? '' : String(spec.metricsPort),
        podName: spec.name,
        appId: e.APP_ID ?? '',
        appKey: e.APP_KEY ?? '',
        appSecret: e.APP_SECRET ?? '',
        redisUrl: e.REDIS_URL ?? '',
        webhookUrl: e.WEBHOOK_URL ?? '',
        maxConnections: e.MAX_CONNECTIONS ?? '0',
      };
      // A variable whose value would be empty (no Redis, no webhooks in this run) is left unset.
      const env = Object.fromEntries(Object.entries(m.env).map(([k, v]) => [k, fill(v, values)]).filter(([, v]) => v !== ''));
      return { image, command: m.command.map((c) => fill(c, values)), env, mounts: [], readyLog: new RegExp(m.readyLog) };
    },
  });
  return {
    name: m.name,
    title: `${m.name} (image ${m.image})`,
    capabilities: m.capabilities,
    ...(m.capRefusal ? { capRefusal: m.capRefusal } : {}),
    problem: async () => ((await imageExists(m.image)) ? undefined : `image ${m.image} is not on this machine; build or load it (\`docker load\`, \`docker build -t ${m.image} .\`): the harness pulls nothing`),
    ensureImage: async () => m.image,
    runtime: (image) => runtime(image),
  };
}

/**
 * Renders the edge's HAProxy configuration. The edge models the reports' weighted DNS: a weight
 * per deployment decides where *new* connections go, whatever the health of that deployment's
 * pods (DNS does not know). Within a deployment, HAProxy balances across its pods and, when
 * health checks are on, stops sending to pods that fail them. The weights live in a map file
 * (random 0..99 → deployment backend) that the runtime API replaces atomically and reads back.
 */

export type EdgeRoute = 'ws' | 'fallback' | 'rest';

/**
 * `keep-alive`: HTTP mode, client and server connections reused (HAProxy's default).
 * `close`: HTTP mode, the server connection closed after each response — the proxy that masked
 *   the 2020 double-response bug.
 * `tcp`: an L4 pass-through proxy: each client connection is spliced to one pod, so whatever the
 *   pod writes on a keep-alive connection reaches the client as it is.
 */
export type EdgeMode = 'keep-alive' | 'close' | 'tcp';

export interface EdgePod {
  name: string;
  port: number;
}

export interface EdgeDeployment {
  name: string;
  pods: EdgePod[];
}

export interface EdgeListener {
  name: string;
  port: number;
  mode: EdgeMode;
  /** Which deployments serve this listener, by route; in `tcp` mode only `ws` (all traffic) is used. */
  routes: Partial<Record<EdgeRoute, Record<string, number>>>;
}

export interface EdgeConfigSpec {
  listeners: EdgeListener[];
  deployments: EdgeDeployment[];
  /** `path`: what the pods answer 200 on when they take traffic (default /readyz, our server's). */
  healthCheck: { enabled: boolean; intervalMs: number; fall: number; rise: number; path?: string };
  /** Absolute paths as seen inside the HAProxy container. */
  adminSocket: string;
  mapDir: string;
  maxconn: number;
}

/** HAProxy refuses to start when maxconn needs more descriptors than the 20,000 allowed here. */
export const MAX_EDGE_MAXCONN = 9000;

export function mapFileName(listener: string, route: EdgeRoute): string {
  return `${listener}-${route}.map`;
}

/**
 * A deployment has one backend per kind of balancing: `dep_<name>` round-robins WebSockets and
 * REST requests; `fb_<name>` hashes the fallback session path, because an HTTP-fallback session
 * lives on one pod and every request of it (stream, poll, send) must reach that pod.
 */
export function backendName(deployment: string, route: EdgeRoute = 'ws'): string {
  return `${route === 'fallback' ? 'fb' : 'dep'}_${deployment.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Turns percentages per deployment into map lines over 0..99 (e.g. {old: 30, new: 70} →
 * "0:29 dep_old", "30:99 dep_new"). Weights are normalised, so they need not sum to 100.
 */
export function weightsToMapLines(weights: Record<string, number>, route: EdgeRoute = 'ws'): string[] {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) throw new Error('edge weights: at least one deployment needs a weight above 0');
  const lines: string[] = [];
  let start = 0;
  let acc = 0;
  entries.forEach(([name, w], i) => {
    acc += w;
    const end = i === entries.length - 1 ? 99 : Math.round((acc / total) * 100) - 1;
    if (end >= start) lines.push(`${start}:${end} ${backendName(name, route)}`);
    start = end + 1;
  });
  return lines;
}

/** Reads map lines (as `show map` prints them, optionally with a leading entry id) back into percentages. */
export function mapLinesToWeights(lines: string[]): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const line of lines) {
    const m = /(\d+):(\d+)\s+(?:dep|fb)_(\S+)\s*$/.exec(line.trim());
    if (!m) continue;
    weights[m[3]!] = (weights[m[3]!] ?? 0) + Number(m[2]) - Number(m[1]) + 1;
  }
  return weights;
}

/** A server line's health-check arguments; the same for servers in the file and added at run time. */
export function serverCheckArgs(hc: EdgeConfigSpec['healthCheck']): string {
  return hc.enabled ? `check inter ${hc.intervalMs} fall ${hc.fall} rise ${hc.rise}` : '';
}

export function renderHaproxyConfig(spec: EdgeConfigSpec): string {
  if (spec.maxconn > MAX_EDGE_MAXCONN) {
    throw new Error(`edge maxconn ${spec.maxconn} is above ${MAX_EDGE_MAXCONN}: each proxied connection costs two of the 20,000 descriptors a process may open`);
  }
  const hc = spec.healthCheck;
  const out: string[] = [
    'global',
    `  maxconn ${spec.maxconn}`,
    `  stats socket ${spec.adminSocket} mode 600 level admin`,
    '',
    'defaults',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // WebSockets and streaming fallback requests are long-lived tunnels.
    '  timeout tunnel 1h',
    '  timeout http-keep-alive 60s',
    '  retries 2',
    '',
  ];
  for (const l of spec.listeners) {
    const tcp = l.mode === 'tcp';
    out.push(`frontend ${l.name}`, `  mode ${tcp ? 'tcp' : 'http'}`, `  bind 127.0.0.1:${l.port}`);
    if (!tcp) {
      out.push(l.mode === 'close' ? '  option http-server-close' : '  option http-keep-alive');
      // Route by path the way Pusher's endpoints split: /app/ WebSocket, /pusher/ fallback, /apps/ REST.
      const prefixes: Record<EdgeRoute, string> = { ws: '/app/', fallback: '/pusher/', rest: '/apps/' };
      for (const route of ['fallback', 'rest', 'ws'] as const) {
        if (!l.routes[route]) continue;
        const map = `${spec.mapDir}/${mapFileName(l.name, route)}`;
        // New connections pick a deployment at random by weight; a fallback session always
        // hashes to the same one (path /pusher/app/<key>/<server>/<session>/...).
        const pick = route === 'fallback' ? 'path,word(5,/),crc32(1),mod(100)' : 'rand(100)';
        out.push(`  use_backend %[${pick},map_int(${map})] if { path_beg ${prefixes[route]} }`);
      }
    } else if (l.routes.ws) {
      out.push(`  use_backend %[rand(100),map_int(${spec.mapDir}/${mapFileName(l.name, 'ws')})]`);
    }
    out.push('');
  }
  const modes = new Set(spec.listeners.map((l) => (l.mode === 'tcp' ? 'tcp' : 'http')));
  if (modes.size > 1) throw new Error('edge: all listeners must be tcp or all http (a backend has one mode)');
  const mode = [...modes][0] ?? 'http';
  const fallbackServed = new Set(spec.listeners.flatMap((l) => Object.keys(l.routes.fallback ?? {})));
  for (const d of spec.deployments) {
    const kinds: EdgeRoute[] = mode === 'http' && fallbackServed.has(d.name) ? ['ws', 'fallback'] : ['ws'];
    for (const kind of kinds) {
      out.push(`backend ${backendName(d.name, kind)}`, `  mode ${mode}`);
      // depth 5 = /pusher/app/<key>/<server>/<session>: one session, one pod.
      // Consistent hashing keeps most sessions on their pod when pods come and go, and is what lets
      // HAProxy add servers to a hash backend at run time (deployment.scale).
      out.push(...(kind === 'fallback' ? ['  balance uri depth 5', '  hash-type consistent'] : ['  balance roundrobin']));
      if (hc.enabled) out.push(mode === 'http' ? `  option httpchk GET ${hc.path ?? '/readyz'}` : '  option tcp-check');
      for (const p of d.pods) {
        const check = serverCheckArgs(hc);
        out.push(`  server ${p.name} 127.0.0.1:${p.port}${check ? ` ${check}` : ''}`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

import { isIP } from 'node:net';
import { ExportError } from './export-error.ts';

/** The edge of the user's cluster, as the k6 scripts take it: EDGE_HTTP and EDGE_WS. */
export interface ClusterEdge {
  http: string;
  ws: string;
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

/** 127.0.0.0/8, ::1, 0.0.0.0 and the localhost names: inside a k6 runner pod they are the pod itself. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.') || h === '0.0.0.0';
  return isIP(h) === 6 && (h === '::1' || h === '::');
}

/**
 * `--target-url`: the cluster's own entry to the pub/sub service (its Ingress, Gateway or Service),
 * which only its owner knows. Required: the replay's 127.0.0.1 edge means nothing in a cluster, and
 * a placeholder would only fail later inside the runner pods.
 */
export function clusterEdge(raw: string | undefined): ClusterEdge {
  const fix = 'give the URL at which the k6 runner pods reach the service in your cluster, e.g. --target-url http://pusher.loadtest.svc.cluster.local:8080 or https://pusher.example.com';
  if (raw === undefined || raw === '') throw new ExportError(`--target-url is required: the exported load goes to your cluster, not to this machine; ${fix}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ExportError(`--target-url ${raw}: not a URL; ${fix}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ExportError(`--target-url ${raw}: expected http:// or https:// (the WebSocket URL follows as ws:// or wss://)`);
  if (url.username || url.password) throw new ExportError(`--target-url ${raw}: no credentials in the URL; the scripts sign requests with the app's key and secret`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || raw.endsWith('/')) {
    throw new ExportError(`--target-url ${raw}: expected scheme://host[:port] only, without a path, query or trailing slash: the scripts append /app/<key> and /apps/<id>/events`);
  }
  if (isLoopback(url.hostname)) throw new ExportError(`--target-url ${raw}: a loopback address inside a k6 runner pod is the pod itself, not your service; ${fix}`);
  // The exported scripts accept host names and IPv4 addresses (scenarios/load/lib/params.ts).
  if (!/^[A-Za-z0-9.-]+$/.test(url.hostname)) throw new ExportError(`--target-url ${raw}: expected a host name or an IPv4 address (IPv6 literals are not taken by the scripts); use a DNS name`);
  const secure = url.protocol === 'https:';
  return { http: `${url.protocol}//${url.host}`, ws: `${secure ? 'wss' : 'ws'}://${url.host}` };
}

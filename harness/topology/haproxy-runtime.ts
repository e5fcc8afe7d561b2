import { createHash } from 'node:crypto';
import { symlinkSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapLinesToWeights, weightsToMapLines, type EdgeRoute } from './haproxy-config.ts';

export interface ServerState {
  backend: string;
  server: string;
  /** UP, DOWN, MAINT, no check, … as HAProxy reports it. */
  status: string;
  currentSessions: number;
}

/** A Unix socket path longer than this is cut short by the kernel (sun_path is 108 bytes). */
const MAX_SOCKET_PATH = 100;

/**
 * A path the socket can be dialled at: itself, or a short symlink in the temp directory when the
 * run directory is deep (reports/out/<scenario>/<run-id>.partial/work/edge/admin.sock often is).
 */
function dialPath(socketPath: string): string {
  if (socketPath.length <= MAX_SOCKET_PATH) return socketPath;
  const link = join(tmpdir(), `haproxy-${createHash('sha1').update(socketPath).digest('hex').slice(0, 12)}.sock`);
  try {
    unlinkSync(link);
  } catch {
    // not there yet
  }
  symlinkSync(socketPath, link);
  process.once('exit', () => {
    try {
      unlinkSync(link);
    } catch {
      // already gone
    }
  });
  return link;
}

/** HAProxy's runtime API over its admin socket (bind-mounted from the container). */
export class HaproxyRuntime {
  private dial: string | undefined;

  constructor(private readonly socketPath: string) {}

  command(cmd: string, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      this.dial ??= dialPath(this.socketPath);
      const socket = connect(this.dial);
      let out = '';
      const timer = setTimeout(() => socket.destroy(new Error(`haproxy runtime API: "${cmd}" timed out`)), timeoutMs);
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (out += d));
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(out);
      });
      socket.end(`${cmd}\n`);
    });
  }

  /** Replaces a weight map atomically (prepare → add → commit), so no request sees a half-written map. */
  async setMapWeights(mapPath: string, weights: Record<string, number>, route: EdgeRoute = 'ws'): Promise<void> {
    const prepared = await this.command(`prepare map ${mapPath}`);
    const version = /version created:\s*(\d+)/i.exec(prepared)?.[1];
    if (!version) throw new Error(`haproxy: prepare map ${mapPath} failed: ${prepared.trim()}`);
    for (const line of weightsToMapLines(weights, route)) {
      const [key, value] = line.split(' ');
      const res = await this.command(`add map @${version} ${mapPath} ${key} ${value}`);
      if (res.trim()) throw new Error(`haproxy: add map failed: ${res.trim()}`);
    }
    const committed = await this.command(`commit map @${version} ${mapPath}`);
    if (committed.trim()) throw new Error(`haproxy: commit map failed: ${committed.trim()}`);
  }

  /** The weights HAProxy is using now, read back from the live map (evidence for weight shifts). */
  async readMapWeights(mapPath: string): Promise<Record<string, number>> {
    const shown = await this.command(`show map ${mapPath}`);
    return mapLinesToWeights(shown.split('\n'));
  }

  async serverStates(): Promise<ServerState[]> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
    const cols = (header ?? '').split(',');
    const idx = (name: string) => cols.indexOf(name);
    return rows
      .map((r) => r.split(','))
      .filter((f) => f[idx('svname')] !== 'FRONTEND' && f[idx('svname')] !== 'BACKEND')
      .map((f) => ({
        backend: f[idx('pxname')] ?? '',
        server: f[idx('svname')] ?? '',
        status: f[idx('status')] ?? '',
        currentSessions: Number(f[idx('scur')] ?? 0),
      }));
  }

  /** Backend names HAProxy runs (`show backend`). */
  async backends(): Promise<string[]> {
    const out = await this.command('show backend');
    return out.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  }

  /**
   * Adds a server to a running backend (HAProxy >= 2.4 dynamic servers; the backend's balancing must
   * be dynamic: roundrobin, or a hash with `hash-type consistent`). A new server starts in
   * maintenance with its checks off, so both are switched on here.
   */
  async addServer(backend: string, server: string, address: string, checkArgs = ''): Promise<void> {
    const added = (await this.command(`add server ${backend}/${server} ${address}${checkArgs ? ` ${checkArgs}` : ''}`)).trim();
    if (!/New server registered/i.test(added)) throw new Error(`haproxy: add server ${backend}/${server} failed: ${added}`);
    if (checkArgs.includes('check')) await this.expectSilent(`enable health ${backend}/${server}`);
    await this.expectSilent(`enable server ${backend}/${server}`);
  }

  /** Takes a server out: maintenance (no new traffic), its sessions cut, then deleted. */
  async removeServer(backend: string, server: string): Promise<void> {
    await this.expectSilent(`set server ${backend}/${server} state maint`);
    await this.command(`shutdown sessions server ${backend}/${server}`);
    const deleted = (await this.command(`del server ${backend}/${server}`)).trim();
    if (!/Server deleted/i.test(deleted)) throw new Error(`haproxy: del server ${backend}/${server} failed: ${deleted}`);
  }

  /** `maint` takes a server out of rotation (a deploy draining it); `ready` puts it back under its checks. */
  async setServerState(backend: string, server: string, state: 'ready' | 'drain' | 'maint'): Promise<void> {
    await this.expectSilent(`set server ${backend}/${server} state ${state}`);
  }

  private async expectSilent(cmd: string): Promise<void> {
    const res = (await this.command(cmd)).trim();
    if (res) throw new Error(`haproxy: ${cmd} failed: ${res}`);
  }
}

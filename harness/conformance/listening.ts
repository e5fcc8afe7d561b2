import { connect } from 'node:net';
import { LOOPBACK_HOST } from '../load/pusher-client/index.ts';
import { ConformanceInputError } from './target.ts';

/** Refuses (exit 2) a port where nothing listens, rather than failing every check for the same reason. */
export function assertListening(port: number, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: LOOPBACK_HOST, port });
    const fail = (why: string): void => {
      s.destroy();
      reject(new ConformanceInputError(`nothing answers on ${LOOPBACK_HOST}:${port} (${why}): start the server first, or use --server <profile>`));
    };
    s.setTimeout(timeoutMs, () => fail(`no connection within ${timeoutMs} ms`));
    s.once('error', (e) => fail(e.message));
    s.once('connect', () => {
      s.end();
      resolve();
    });
  });
}

import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (host networking: containers and the harness share the port space). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(port: number, what: string) {
    super(`port 127.0.0.1:${port} (${what}) is already in use; stop what holds it (\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port`);
  }
}

/** Throws PortInUseError when something already listens on the port. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, what) : err));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

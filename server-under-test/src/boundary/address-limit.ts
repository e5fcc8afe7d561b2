/**
 * MAX_CONNECTIONS_PER_ADDRESS: open TCP connections per client address, counted on every socket
 * the server accepts (HTTP, fallback, WebSocket alike). Over the bound the socket is destroyed at
 * once, before it can cost a parser or a handshake.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Metrics } from '../metrics.ts';

export class AddressCounter {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** True when one more connection from `address` is within the bound (it is then counted). */
  admit(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (this.max > 0 && n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = (this.open.get(address) ?? 1) - 1;
    if (n <= 0) this.open.delete(address);
    else this.open.set(address, n);
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

export function trackAddresses(server: Server, max: number, metrics: Metrics): void {
  if (max <= 0) return;
  const counter = new AddressCounter(max);
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if (!counter.admit(address)) {
      metrics.clientsDropped.labels('address_limit').inc();
      socket.destroy();
      return;
    }
    socket.once('close', () => counter.release(address));
  });
}

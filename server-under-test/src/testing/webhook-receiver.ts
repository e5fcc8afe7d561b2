/** Test helper: an HTTP server on 127.0.0.1 that records webhook POSTs (and can refuse some). */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  events: { name: string; channel: string; [k: string]: unknown }[];
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer this many upcoming requests with 503 (receiver "briefly down"). */
  failNext(n: number): void;
  refused: number;
  events(): ReceivedWebhook['events'];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let failures = 0;
  const r: WebhookReceiver = {
    url: '',
    received: [],
    refused: 0,
    failNext: (n) => {
      failures = n;
    },
    events: () => r.received.flatMap((w) => w.events),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        r.refused++;
        res.writeHead(503).end();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(rawBody) as { events: ReceivedWebhook['events'] };
      r.received.push({ headers: req.headers, rawBody, events: body.events });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return r;
}

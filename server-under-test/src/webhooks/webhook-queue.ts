/**
 * The queue between pods and the webhook dispatcher (the 2022 report's Kinesis stream).
 * RedisStreamQueue: XADD by every pod; dispatchers read with a consumer group, ack after a
 * successful POST, and claim entries a dead dispatcher left pending. MemoryQueue: standalone pod.
 */
import type { Redis } from 'ioredis';

export interface QueueEntry {
  id: string;
  body: string;
}

export interface WebhookQueue {
  append(body: string): Promise<void>;
  /** Up to `max` unacknowledged entries, waiting at most `blockMs` for one to arrive. */
  read(max: number, blockMs: number): Promise<QueueEntry[]>;
  ack(ids: string[]): Promise<void>;
  close(): Promise<void>;
}

export class MemoryQueue implements WebhookQueue {
  private seq = 0;
  private readonly entries: QueueEntry[] = [];
  private readonly inFlight = new Set<string>();
  private waiter: (() => void) | undefined;
  private closed = false;

  /** Standalone pods without a reachable receiver must not grow without bound. */
  constructor(private readonly capacity = 100_000) {}

  async append(body: string): Promise<void> {
    if (this.entries.length >= this.capacity) {
      const i = this.entries.findIndex((e) => !this.inFlight.has(e.id));
      if (i >= 0) this.entries.splice(i, 1);
    }
    this.entries.push({ id: String(++this.seq), body });
    this.waiter?.();
  }

  async read(max: number, blockMs: number): Promise<QueueEntry[]> {
    const take = (): QueueEntry[] => this.entries.filter((e) => !this.inFlight.has(e.id)).slice(0, max);
    let got = take();
    if (got.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, blockMs);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
      got = take();
    }
    for (const e of got) this.inFlight.add(e.id);
    return got;
  }

  /** Entries handed out but not acked are handed out again (the dispatcher retries them). */
  release(ids: string[]): void {
    for (const id of ids) this.inFlight.delete(id);
  }

  async ack(ids: string[]): Promise<void> {
    const set = new Set(ids);
    for (let i = this.entries.length - 1; i >= 0; i--) if (set.has(this.entries[i]!.id)) this.entries.splice(i, 1);
    for (const id of ids) this.inFlight.delete(id);
  }

  get length(): number {
    return this.entries.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiter?.();
  }
}

const GROUP = 'webhook-dispatchers';

export class RedisStreamQueue implements WebhookQueue {
  private groupReady = false;
  private pendingChecked = false;

  /** `writer` is shared; `reader` must be a dedicated connection (blocking reads). */
  constructor(
    private readonly writer: Redis,
    private readonly reader: Redis | undefined,
    private readonly stream: string,
    private readonly consumer: string,
    private readonly claimIdleMs = 30_000,
  ) {}

  async append(body: string): Promise<void> {
    await this.writer.xadd(this.stream, 'MAXLEN', '~', '1000000', '*', 'e', body);
  }

  private async ensureGroup(r: Redis): Promise<void> {
    if (this.groupReady) return;
    try {
      await r.xgroup('CREATE', this.stream, GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.groupReady = true;
  }

  async read(max: number, blockMs: number): Promise<QueueEntry[]> {
    const r = this.reader;
    if (!r) throw new Error('RedisStreamQueue: read needs a reader connection');
    await this.ensureGroup(r);
    if (!this.pendingChecked) {
      // Our own entries from before a restart, then entries a dead dispatcher left behind.
      const mine = parse(await r.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', max, 'STREAMS', this.stream, '0'));
      if (mine.length > 0) return mine;
      this.pendingChecked = true;
    }
    const claimed = (await r.xautoclaim(this.stream, GROUP, this.consumer, this.claimIdleMs, '0-0', 'COUNT', max)) as [string, [string, string[]][]];
    const claimedEntries = toEntries(claimed[1]);
    if (claimedEntries.length > 0) return claimedEntries;
    return parse(await r.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', max, 'BLOCK', blockMs, 'STREAMS', this.stream, '>'));
  }

  /** Entries read but not acked stay pending for this consumer; re-read them on the next call. */
  retryPending(): void {
    this.pendingChecked = false;
  }

  async ack(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.writer.xack(this.stream, GROUP, ...ids);
    await this.writer.xdel(this.stream, ...ids);
  }

  async close(): Promise<void> {
    if (this.reader) this.reader.disconnect();
  }
}

function toEntries(list: [string, string[]][] | null | undefined): QueueEntry[] {
  const out: QueueEntry[] = [];
  for (const [id, fields] of list ?? []) {
    if (!fields) continue; // deleted entry
    const i = fields.indexOf('e');
    if (i >= 0 && fields[i + 1] !== undefined) out.push({ id, body: fields[i + 1]! });
  }
  return out;
}

function parse(res: unknown): QueueEntry[] {
  if (!Array.isArray(res)) return [];
  const out: QueueEntry[] = [];
  for (const [, list] of res as [string, [string, string[]][]][]) out.push(...toEntries(list));
  return out;
}

/** Failing a check: the message says what the protocol asks and what the server did instead. */
import { isDeepStrictEqual } from 'node:util';

export class NonConformance extends Error {
  readonly code = 'NONCONFORMANCE';
}

export function must(ok: boolean, message: string | (() => string)): asserts ok {
  if (!ok) throw new NonConformance(typeof message === 'string' ? message : message());
}

export function mustEqual<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  must(isDeepStrictEqual(actual, expected), () => `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** The HTTP status of a `pusher` client rejection (RequestError), or rethrows what is not one. */
export function rejectionStatus(err: unknown): number {
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') return status;
  throw err;
}

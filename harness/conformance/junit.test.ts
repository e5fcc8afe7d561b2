import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from './check.ts';
import { renderConformanceJunit } from './junit.ts';

const outcomes: CheckOutcome[] = [
  { id: 'ws.connect', title: 'connects', status: 'pass', detail: 'socket id 1.2', durationMs: 12 },
  { id: 'rest.keepalive-raw', title: 'keep-alive', status: 'fail', detail: 'read 413 <not its own> & "stale"', durationMs: 30 },
  { id: 'fallback.xhr_polling', title: 'xhr_polling', status: 'skip', detail: 'needs xhr_polling: sockudo has no HTTP fallback', durationMs: 0 },
];

describe('renderConformanceJunit', () => {
  it('one case per check: failure and skipped carry the detail, counts add up, text is escaped', () => {
    const xml = renderConformanceJunit('sockudo', outcomes);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { testsuite: { tests: string; failures: string; skipped: string; testcase: Record<string, unknown>[] } };
    };
    const suite = doc.testsuites.testsuite;
    expect([suite.tests, suite.failures, suite.skipped]).toEqual(['3', '1', '1']);
    expect(suite.testcase).toHaveLength(3);
    expect(suite.testcase[1]!.failure).toEqual({ message: 'read 413 <not its own> & "stale"', type: 'nonconformance' });
    expect(suite.testcase[2]!.skipped).toEqual({ message: 'needs xhr_polling: sockudo has no HTTP fallback' });
    expect(suite.testcase[0]!.classname).toBe('conformance.sockudo');
  });
});

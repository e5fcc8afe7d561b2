import type { z } from 'zod';
import type { ScenarioIssue } from './errors.ts';

// zod's own messages are written for developers ("Invalid input: expected number, received string").
// A scenario author needs the field path, what was expected and what they wrote, on one line.

type RawIssue = z.core.$ZodRawIssue;

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

function bound(kind: 'min' | 'max', issue: { origin?: string; inclusive?: boolean } & Record<string, unknown>): string {
  const n = Number(kind === 'min' ? issue.minimum : issue.maximum);
  const origin = issue.origin;
  if (origin === 'array' || origin === 'set') return `expected ${kind === 'min' ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}`;
  if (origin === 'string') {
    if (kind === 'min' && n === 1) return 'expected a non-empty string';
    return `expected a string of ${kind === 'min' ? 'at least' : 'at most'} ${n} characters`;
  }
  if (kind === 'min' && n === 0 && issue.inclusive === false) return 'expected a positive number';
  if (kind === 'min' && n === 0) return 'expected a number >= 0';
  const op = kind === 'min' ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  return `expected a number ${op} ${n}`;
}

/** Per-parse error map: used only where the schema itself does not supply a message. */
export function scenarioErrorMap(issue: RawIssue): string | undefined {
  const i = issue as RawIssue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      if (i.input === undefined) return `required, expected ${article(String(i.expected))}`;
      return `expected ${i.expected === 'int' ? 'an integer' : article(String(i.expected))}`;
    case 'too_small':
      return bound('min', i as never);
    case 'too_big':
      return bound('max', i as never);
    case 'invalid_value': {
      const values = (i.values as unknown[] | undefined) ?? [];
      return values.length === 1 ? `expected ${JSON.stringify(values[0])}` : `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'not_multiple_of':
      return i.divisor === 1 ? 'expected an integer' : `expected a multiple of ${String(i.divisor)}`;
    case 'unrecognized_keys': {
      const keys = (i.keys as string[] | undefined) ?? [];
      return `unknown key${keys.length === 1 ? '' : 's'} ${keys.map((k) => JSON.stringify(k)).join(', ')}: correct the spelling or remove ${keys.length === 1 ? 'it' : 'them'} (every field is in harness/scenario/README.md)`;
    }
    case 'invalid_union':
      return 'expected one of the allowed shapes';
    default:
      return undefined;
  }
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

export function joinPath(prefix: string, rest: string): string {
  if (!prefix) return rest;
  if (!rest) return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

const SHOW_GOT = new Set(['invalid_type', 'too_small', 'too_big', 'invalid_value', 'invalid_format', 'not_multiple_of', 'invalid_union']);

export function toScenarioIssues(error: z.ZodError, prefix = ''): ScenarioIssue[] {
  return error.issues.map((issue) => {
    const hasInput = 'input' in issue && !(issue.code === 'invalid_type' && issue.input === undefined);
    let input = (issue as { input?: unknown }).input;
    // A union's discriminator issue carries the whole object; the author wants to see the bad field.
    const last = issue.path[issue.path.length - 1];
    if (typeof last === 'string' && typeof input === 'object' && input !== null && last in input) input = (input as Record<string, unknown>)[last];
    const got = SHOW_GOT.has(issue.code) && hasInput && !/, got /.test(issue.message) ? `, got ${describeValue(input)}` : '';
    return { path: joinPath(prefix, formatPath(issue.path)), message: `${issue.message}${got}` };
  });
}

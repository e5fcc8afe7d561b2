import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/**
 * The gate's own mutation check: behaviour bugs of server-under-test/ kept as patch files
 * (server-under-test/mutations/NN-name.patch, paths relative to server-under-test/), each opened by
 * a header saying what bug it models and which SLO should catch it.
 */
export const MUTATIONS_DIR = resolve(import.meta.dirname, '../../server-under-test/mutations');

export interface Mutation {
  /** The file name without `.patch`, e.g. "07-fallback-drops-frames-between-polls". */
  id: string;
  file: string;
  part: string;
  bug: string;
  caughtBy: string;
  /** Scenarios whose remediated variant should catch it: replayed first (`Replay first:`, optional). */
  replayFirst: string[];
}

export class MutationError extends Error {
  readonly code = 'MUTATION_INVALID';
}

const FIELDS = { Mutation: 'id', Part: 'part', Bug: 'bug', 'Caught by': 'caughtBy' } as const;
const OPTIONAL = ['Replay first'];

/** The header is everything before the first diff line; a field continues on indented lines. */
export function parseMutation(file: string, text: string): Mutation {
  const id = basename(file, '.patch');
  const diffAt = text.search(/^(diff --git |--- )/m);
  if (diffAt < 0) throw new MutationError(`${file}: no diff in the patch (expected a \`diff --git\` section after the header)`);
  const fields: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.slice(0, diffAt).split('\n')) {
    const m = /^([A-Z][a-z ]*?):\s*(.*)$/.exec(line);
    if (m && (m[1]! in FIELDS || OPTIONAL.includes(m[1]!))) {
      current = m[1]!;
      fields[current] = m[2]!.trim();
    } else if (current && /^\s+\S/.test(line)) fields[current] += ` ${line.trim()}`;
    else current = undefined;
  }
  const missing = Object.keys(FIELDS).filter((k) => !fields[k]);
  if (missing.length) throw new MutationError(`${file}: header lacks ${missing.map((k) => `"${k}:"`).join(', ')}; every patch opens with Mutation, Part, Bug and Caught by`);
  if (fields.Mutation !== id) throw new MutationError(`${file}: header says "Mutation: ${fields.Mutation}" but the file is ${id}.patch; make them agree`);
  const replayFirst = (fields['Replay first'] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  return { id, file, part: fields.Part!, bug: fields.Bug!, caughtBy: fields['Caught by']!, replayFirst };
}

export function listMutations(dir: string = MUTATIONS_DIR): Mutation[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.patch'))
    .sort();
  if (files.length === 0) throw new MutationError(`${dir} holds no *.patch files`);
  return files.map((f) => parseMutation(join(dir, f), readFileSync(join(dir, f), 'utf8')));
}

/** `wanted` entries are numbers ("07") or parts of ids ("limiter"), each matching at least one; run in the order asked. */
export function selectMutations(all: readonly Mutation[], wanted: readonly string[]): Mutation[] {
  if (wanted.length === 0) return [...all];
  const matches = (m: Mutation, w: string): boolean => (/^\d+$/.test(w) ? Number(m.id.split('-')[0]) === Number(w) : m.id.includes(w));
  const unknown = wanted.filter((w) => !all.some((m) => matches(m, w)));
  if (unknown.length) throw new MutationError(`no mutation matches ${unknown.join(', ')}; known: ${all.map((m) => m.id).join(', ')}`);
  return [...new Set(wanted.flatMap((w) => all.filter((m) => matches(m, w))))];
}

/** The mutation's own scenarios first (those of them that are among `scenarios`), then the rest, in order. */
export function replayOrder(mutation: Mutation, scenarios: readonly string[]): string[] {
  const first = mutation.replayFirst.filter((s) => scenarios.includes(s));
  return [...first, ...scenarios.filter((s) => !first.includes(s))];
}

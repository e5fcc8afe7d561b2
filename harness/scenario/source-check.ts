import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import type { ScenarioIssue } from './errors.ts';

// Read from the source before it is imported: a syntax error with its position, and what the
// imported object cannot show, a key written twice in one object literal (two variants named
// `incident`), which JavaScript silently collapses to the last one. esbuild (what tsx compiles the
// file with) reports both; its duplicate-key warning becomes an error here.

export async function sourceProblems(file: string): Promise<ScenarioIssue[]> {
  const source = await readFile(file, 'utf8');
  let warnings;
  try {
    ({ warnings } = await transform(source, { loader: file.endsWith('.js') || file.endsWith('.mjs') ? 'js' : 'ts', sourcefile: file, logLevel: 'silent' }));
  } catch (err) {
    // A syntax error, with its position (the import's own error has none for .js/.mjs files).
    const errors = (err as { errors?: { text: string; location: { line: number; column: number } | null }[] }).errors ?? [];
    return errors.map((e) => ({
      path: e.location ? `line ${e.location.line}:${e.location.column + 1}` : '',
      message: `the file does not parse: ${e.text}: fix the syntax there`,
    }));
  }
  return warnings
    .filter((w) => w.id === 'duplicate-object-key' && w.location)
    .map((w) => {
      const key = /"(.*)"/.exec(w.text)?.[1] ?? '?';
      const first = w.notes[0]?.location;
      const firstAt = first ? ` (first at line ${first.line})` : '';
      const parent = enclosingKey(source, w.location!.line, w.location!.column);
      return {
        path: `${parent ? `${parent}.` : ''}${key} (line ${w.location!.line})`,
        message: `key ${JSON.stringify(key)} is written twice in one object${firstAt}: JavaScript keeps only the last one, silently; rename or remove one of them`,
      };
    });
}

/** The key of the object literal around a position (`variants` for a duplicate variant), when it has one. */
function enclosingKey(source: string, line: number, column: number): string | undefined {
  const lines = source.split('\n');
  let offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column;
  let depth = 0;
  // Strings and comments with braces in them could mislead this; it only names the context.
  while (--offset >= 0) {
    const c = source[offset];
    if (c === '}' || c === ']') depth++;
    else if (c === '{' || c === '[') {
      if (depth === 0) return /([A-Za-z_$][\w$]*)['"]?\s*:\s*$/.exec(source.slice(Math.max(0, offset - 80), offset))?.[1];
      depth--;
    }
  }
  return undefined;
}

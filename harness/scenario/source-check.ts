import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import type { ScenarioIssue } from './errors.ts';

// What the imported object can no longer show: a key written twice in one object literal (two
// variants named `incident`, two `durationS`) is silently collapsed to the last one by JavaScript.
// esbuild (which tsx uses to compile the file) reports it; we turn its warning into an error.

export async function duplicateKeys(file: string): Promise<ScenarioIssue[]> {
  const source = await readFile(file, 'utf8');
  let warnings;
  try {
    ({ warnings } = await transform(source, { loader: file.endsWith('.js') || file.endsWith('.mjs') ? 'js' : 'ts', sourcefile: file, logLevel: 'silent' }));
  } catch {
    // A syntax error is reported by the import, with its own position.
    return [];
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

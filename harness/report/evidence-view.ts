// An action's evidence (free-form JSON the fault read back) as what a person scans: short facts
// (`shifted: true`, `weight: 80 → 20`) and one table per list or map of records (per pod, per backend),
// the raw JSON being one click away in the report. Generic over evidence shapes: nothing here knows an
// action type, so a new action's evidence renders without a change here.

/** A cell's text, clipped to CELL_MAX characters; `full` holds the whole text when it was clipped. */
export interface Cell {
  text: string;
  full?: string;
}

export interface EvidenceTable {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface EvidenceView {
  facts: { key: string; value: Cell }[];
  tables: EvidenceTable[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export const CELL_MAX = 100;

/** A one-line form of any value, for a table cell. */
export function valueText(v: unknown): string {
  let s: string;
  if (v === undefined) s = '';
  else if (v === null) s = '—';
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else if (Array.isArray(v) && v.every(isScalar)) s = v.length ? v.map((x) => valueText(x)).join(', ') : 'none';
  else s = JSON.stringify(v as Json);
  return s.replace(/\s+/g, ' ');
}

export function cell(v: unknown, max = CELL_MAX): Cell {
  const full = typeof v === 'string' && v.length === 0 ? '' : valueText(v);
  return full.length > max ? { text: `${full.slice(0, max - 1)}…`, full } : { text: full };
}

function columnsOf(records: Record<string, unknown>[]): string[] {
  const cols: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

export function evidenceView(evidence: Record<string, unknown> | null | undefined): EvidenceView {
  const view: EvidenceView = { facts: [], tables: [] };
  for (const [key, v] of Object.entries(evidence ?? {})) {
    if (isScalar(v) || (Array.isArray(v) && v.every(isScalar))) {
      view.facts.push({ key, value: cell(v) });
    } else if (Array.isArray(v)) {
      // A list of records (pods, gates, toxics): one row each; anything else in the list as a value.
      const records: Record<string, unknown>[] = v.map((x) => (isRecord(x) ? x : { value: x }));
      const columns = columnsOf(records);
      view.tables.push({ title: key, columns, rows: records.map((r) => columns.map((c) => cell(r[c]))) });
    } else if (isRecord(v)) {
      const values = Object.values(v);
      if (values.every(isScalar) && values.length <= 4) {
        // A small map of scalars (`{old: 90, new: 10}`) reads as one line.
        view.facts.push({ key, value: cell(Object.entries(v).map(([k, x]) => `${k}: ${valueText(x)}`).join(' · ') || 'none') });
      } else if (values.every(isScalar)) {
        view.tables.push({ title: key, columns: ['', 'value'], rows: Object.entries(v).map(([k, x]) => [{ text: k }, cell(x)]) });
      } else {
        // A map of records keyed by pod, backend or proxy: the key is the first column.
        const entries = Object.entries(v).map(([k, x]): [string, Record<string, unknown>] => [k, isRecord(x) ? x : { value: x }]);
        const columns = columnsOf(entries.map(([, r]) => r));
        view.tables.push({ title: key, columns: ['', ...columns], rows: entries.map(([k, r]) => [{ text: k }, ...columns.map((c) => cell(r[c]))]) });
      }
    }
  }
  return view;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { jsonReporter } from './json-reporter.ts';
import { SUMMARY_SCHEMA_VERSION, summarySchema } from './summary-schema.ts';

describe('summary.json', () => {
  it('is versioned, validates against its schema and has no chart series', async () => {
    const text = jsonReporter.render(await sampleReport());
    const parsed = JSON.parse(text);
    expect(parsed.schemaVersion).toBe(SUMMARY_SCHEMA_VERSION);
    expect(summarySchema.safeParse(parsed).success).toBe(true);
    expect(parsed.variants[0].charts).toBeUndefined();
    expect(parsed.variants.map((v: { variant: string }) => v.variant)).toEqual(['incident', 'remediated']);
    expect(parsed.variants[1].slos[2]).toMatchObject({ id: 'detect', status: 'pass', value: null, window: null });
  });

  it('carries the typed evidence (version 2), and still reads a version 1 file with none', async () => {
    const parsed = JSON.parse(jsonReporter.render(await sampleReport()));
    expect(parsed.schemaVersion).toBe(2);
    expect(parsed.variants[0].evidence.pods.map((p: { pod: string }) => p.pod)).toEqual(['old-0', 'new-0', 'new-1']);
    const v1 = JSON.parse(readFileSync(new URL('./fixtures/real-runs/oom-cascade-incident.summary.json', import.meta.url), 'utf8'));
    expect(v1.schemaVersion).toBe(1);
    expect(v1.variants[0].evidence).toBeUndefined();
    const read = summarySchema.parse(v1);
    expect(read.variants[0]!.evidence).toEqual({ faultState: null, pods: [], deploys: [], gates: [], rollbacks: [], heals: [], livenessRestarts: [], wire: [] });
  });

  it('refuses to render a report that does not fit the schema', async () => {
    const r = await sampleReport();
    const bad = { ...r, variants: [{ ...r.variants[0]!, verdict: { ...r.variants[0]!.verdict, status: 'green' } }] };
    expect(() => jsonReporter.render(bad as never)).toThrow(/status/);
  });
});

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

  it('refuses to render a report that does not fit the schema', async () => {
    const r = await sampleReport();
    const bad = { ...r, variants: [{ ...r.variants[0]!, verdict: { ...r.variants[0]!.verdict, status: 'green' } }] };
    expect(() => jsonReporter.render(bad as never)).toThrow(/status/);
  });
});

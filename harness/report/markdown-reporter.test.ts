import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { renderMarkdown } from './markdown-reporter.ts';

describe('markdown summary', () => {
  it('gives the verdict per variant, the SLO table and detection times', async () => {
    const md = renderMarkdown(await sampleReport());
    expect(md).toContain('| incident | breach conn-success | 🔴 reproduced (as expected) |');
    expect(md).toContain('| remediated | hold all | 🟢 held (as expected) |');
    expect(md).toContain('| Connection success | `rate>=0.99` | 0.8750 | ❌ fail |');
    expect(md).toContain('Detection (connect-failures): 3.0 s after the fault');
    expect(md).toContain('Exit code 0.');
  });

  it('names each default delivery check the variant does not judge, with its reason', async () => {
    const r = await sampleReport();
    expect(r.variants[1]!.exempt).toEqual([]);
    r.variants[1]!.exempt = [{ probe: 'ws-probe', check: 'lost', why: 'the kill drops what is in flight' }];
    expect(renderMarkdown(r)).toContain('- Not judged: `ws-probe` lost, because the kill drops what is in flight');
  });

  it('lists the reasons when a variant missed its expectation', async () => {
    const r = await sampleReport();
    r.variants[1]!.verdict = { status: 'broken', met: false, reasons: ['conn-success: breached (x)'], unexpectedBreaches: ['conn-success'] };
    expect(renderMarkdown(r)).toContain('❌ broken (**not as expected**)');
    expect(renderMarkdown(r)).toContain('- conn-success: breached (x)');
  });
});

describe('markdown SLO table', () => {
  it('says what each SLO was expected to do and whether the outcome was as expected', async () => {
    const r = await sampleReport();
    const incident = r.variants[0]!;
    incident.slos[2] = { ...incident.slos[2]!, status: 'fail', value: 14 };
    const md = renderMarkdown(r);
    expect(md).toContain('| Connection success | `rate>=0.99` | 0.8750 | ❌ fail | must breach | as expected |');
    expect(md).toMatch(/\| ❌ fail \| — \| not asserted \|/);
    r.variants[1]!.slos[0] = { ...r.variants[1]!.slos[0]!, status: 'fail', value: 0.9 };
    expect(renderMarkdown(r)).toContain('| Connection success | `rate>=0.99` | 0.9000 | ❌ fail | must hold | **NOT as expected** |');
  });
});

import type { ImageName } from '../platform/images.ts';
import { InterruptedError } from '../platform/creation-gate.ts';
import type { RunIndexRow } from '../report/run-index.ts';
import { runAndReport } from '../run/run-and-report.ts';
import type { VariantVerdict } from '../verdict/types.ts';
import { gateLabel, type MarginGate } from './min-margin.ts';
import { pointRunId } from './point-runner.ts';

// One --min-margin point as a normal run: its verdict counts towards the exit code like the
// variant's own (an unknown there is not met), and it gets a row in the run table.

export async function runMarginGate(
  gate: MarginGate,
  o: { images: Record<ImageName, string>; outRoot: string; seed: number | undefined; log: (l: string) => void },
): Promise<{ verdict: VariantVerdict; row: RunIndexRow }> {
  const variant = `${gate.base.variant}@${gate.axis.name}x${gate.factor}`;
  o.log(`◆ ${gateLabel(gate)}: the --min-margin point`);
  try {
    const { run, judgement, written } = await runAndReport(gate.plan, { images: o.images, outRoot: o.outRoot, seed: o.seed, log: o.log, runId: pointRunId(gate.base, gate.axis, gate.factor, 1) });
    const v = judgement.verdict;
    o.log(`${v.met ? '✔' : '✘'} ${gateLabel(gate)}: ${v.status}${v.met ? '' : ` (the variant does not ${'breach' in gate.base.expectation ? 'reproduce' : 'hold'} at the required margin)`}`);
    for (const r of v.met ? [] : v.reasons) o.log(`    ${r}`);
    o.log(`  report: ${written.html}`);
    return { verdict: { ...v, variant }, row: { scenario: gate.base.id, variant, status: v.status, met: v.met, runDir: run.runDir, error: undefined, unfinished: judgement.incomplete } };
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    const message = (err as Error).message.split('\n')[0]!;
    o.log(`✘ ${gateLabel(gate)}: could not run: ${message}`);
    return {
      verdict: { variant, expectation: gate.base.expectation, status: 'inconclusive', met: false, reasons: [`could not run: ${message}`], unexpectedBreaches: [] },
      row: { scenario: gate.base.id, variant, status: 'error', met: false, runDir: undefined, error: message },
    };
  }
}

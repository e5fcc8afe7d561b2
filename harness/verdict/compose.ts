import type { Expectation } from '../scenario/schema.ts';
import type { SloResult, VariantVerdict } from './types.ts';

// Per-variant composition. An incident variant is `reproduced` when every SLO it names breaches
// (others may breach too: reported, not fatal); if any expected breach passed or had no data, the
// replay has `rotted`. A hold-all variant is `held` when every SLO passes, `broken` when one fails,
// and `inconclusive` when none fails but one had no data. Only reproduced and held meet expectations.

export function composeVariant(variant: string, expectation: Expectation, slos: readonly SloResult[]): VariantVerdict {
  const byId = new Map(slos.map((s) => [s.id, s]));
  if ('breach' in expectation) {
    const reasons: string[] = [];
    for (const id of expectation.breach) {
      const s = byId.get(id);
      if (!s) reasons.push(`${id}: expected to breach, but no such SLO was judged`);
      else if (s.status === 'pass') reasons.push(`${id}: expected to breach, but held (${s.detail})`);
      else if (s.status === 'unknown') reasons.push(`${id}: expected to breach, but there was no data (${s.detail})`);
    }
    const unexpectedBreaches = slos.filter((s) => s.status === 'fail' && !expectation.breach.includes(s.id)).map((s) => s.id);
    if (reasons.length === 0) {
      return { variant, expectation, status: 'reproduced', met: true, reasons: expectation.breach.map((id) => `${id}: breached as expected (${byId.get(id)!.detail})`), unexpectedBreaches };
    }
    return { variant, expectation, status: 'rotted', met: false, reasons, unexpectedBreaches };
  }
  const failed = slos.filter((s) => s.status === 'fail');
  const unknown = slos.filter((s) => s.status === 'unknown');
  if (failed.length > 0) return { variant, expectation, status: 'broken', met: false, reasons: failed.map((s) => `${s.id}: breached (${s.detail})`), unexpectedBreaches: failed.map((s) => s.id) };
  if (unknown.length > 0 || slos.length === 0) {
    return { variant, expectation, status: 'inconclusive', met: false, reasons: slos.length === 0 ? ['no SLO was judged'] : unknown.map((s) => `${s.id}: unknown (${s.detail})`), unexpectedBreaches: [] };
  }
  return { variant, expectation, status: 'held', met: true, reasons: ['every SLO held'], unexpectedBreaches: [] };
}

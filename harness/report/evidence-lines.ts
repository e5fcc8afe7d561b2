import type { VariantSummary } from './summary-schema.ts';

type Evidence = VariantSummary['evidence'];
const at = (t: number) => `${(t / 1000).toFixed(1)}s`;

/** The typed evidence events of a variant, one line each in time order, for people reading a report. */
export function evidenceLines(e: Evidence): string[] {
  const lines: { t: number; text: string }[] = [
    ...e.deploys.map((d) => ({
      t: d.t,
      text: `${d.deploy}: ${d.pod} ${d.outcome}${d.version ? `, ${d.version} / config ${d.configVersion ?? 'none'}` : ''}${d.exitCode !== undefined ? ` (exit ${d.exitCode})` : ''}${d.lockedBy ? ` (locked by ${d.lockedBy})` : ''}`,
    })),
    ...e.gates.map((g) => ({ t: g.t, text: `gate of ${g.action} ${g.target}${g.afterPods ? ` after ${g.afterPods.join(', ')}` : ''} ${g.passed ? 'passed' : 'FAILED'}: ${g.detail}` })),
    ...e.rollbacks.map((r) => ({ t: r.t, text: `rollback decided on ${r.deployment} (${r.scope})${r.from ? ` from ${r.from}` : ''} to ${r.to}: ${r.why}` })),
    ...e.heals.map((h) => ({ t: h.t, text: `healed (${h.trigger}) ${h.heal}${h.ok ? '' : ` FAILED: ${h.error ?? ''}`}` })),
    ...e.livenessRestarts.map((l) => ({ t: l.t, text: `liveness restart of ${l.pod} after ${l.failures} failures${l.ok ? '' : ` FAILED: ${l.error ?? ''}`}` })),
    ...e.wire.map((w) => ({ t: w.t, text: `wire ${w.probe} ${w.connection}: ${w.kind === 'misaligned' ? `request ${w.request} expected ${w.expected} and read ${w.got}` : 'more responses than requests'}; responses ${w.responses.map((r) => `#${r.index} ${r.status ?? '?'}`).join(', ')}` })),
    ...e.pods.map((p) => ({
      t: p.t,
      text: `final ${p.pod} (${p.deployment}): ${p.status ?? 'not inspected'}${p.exitCode !== undefined && !p.running ? `, exit ${p.exitCode}` : ''}${p.oomKilled ? ', OOM-killed' : ''}${p.restartCount ? `, ${p.restartCount} restarts` : ''}`,
    })),
  ];
  const f = e.faultState;
  if (f) {
    const left = [
      ...Object.entries(f.releases).map(([d, r]) => `${d} runs ${r}`),
      ...Object.entries(f.weights).map(([route, w]) => `${route} weights ${Object.entries(w).map(([d, n]) => `${d} ${n}`).join(', ')}`),
      ...Object.entries(f.replicas).map(([d, n]) => `${d} scaled to ${n}`),
      ...Object.keys(f.env).map((d) => `${d} env changed`),
      ...f.locks.map((l) => `${l.pod} locked by ${l.heldBy}`),
      ...Object.entries(f.stopped).map(([r, why]) => `${r} stopped: ${why}`),
    ];
    if (left.length) lines.push({ t: f.t, text: `faults left: ${left.join('; ')}` });
  }
  return lines.sort((a, b) => a.t - b.t).map((l) => `${at(l.t)} ${l.text}`);
}

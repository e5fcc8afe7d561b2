import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { parseJunit, realSummaries } from './fixtures/read-back.ts';
import { renderHtml } from './html-reporter.ts';
import { renderJunit } from './junit-reporter.ts';
import { STORY_LINE_MAX } from './narrative.ts';
import { reportFromSummary } from './report-data.ts';

// The reporters over the summaries of a real replay of every scenario and variant (fixtures/real-runs,
// copied from `harness run --all --variant all`): what a CI test tab shows must say what the HTML says.

const runs = realSummaries();
const MEASURED_WORD = { pass: 'held', fail: 'breached', unknown: 'had no data' } as const;

describe('reports of real runs', () => {
  it('cover every variant of the five scenarios', () => {
    const scenarios = new Set(runs.map((r) => r.summary.scenario.id));
    expect([...scenarios].sort()).toEqual(['config-rollback', 'connection-limit', 'fallback-webhooks', 'keepalive-desync', 'oom-cascade']);
    for (const s of scenarios) {
      const variants = runs.filter((r) => r.summary.scenario.id === s).map((r) => r.summary.variants[0]!.variant);
      expect(variants, s).toEqual(expect.arrayContaining(['incident', 'remediated']));
    }
  });

  describe.each(runs.map((r) => [r.name, r.summary] as const))('%s', (_name, summary) => {
    const report = reportFromSummary(summary);
    const junit = parseJunit(renderJunit(report));
    const html = parse(renderHtml(report));

    it('junit.xml names and marks every SLO as the HTML table does', () => {
      for (const v of report.variants) {
        const suite = junit.suites.find((s) => s.name === `${summary.scenario.id} / ${v.variant}`)!;
        const rows = html.querySelectorAll(`#variant-${v.variant} table.slos tbody tr[data-slo]`);
        expect(rows.length).toBe(v.slos.length + (('breach' in v.expectation ? v.expectation.breach : []).filter((id) => !v.slos.some((s) => s.id === id)).length));
        expect(v.slos.length).toBeGreaterThan(0);
        for (const row of rows) {
          const id = row.getAttribute('data-slo')!;
          const cells = row.querySelectorAll('td').map((c: HTMLElement) => c.text.trim());
          const [, , , status, expectation, outcome] = cells;
          const c = suite.cases.find((x) => x.name.startsWith(`${v.variant} › ${id} `))!;
          expect(c, `${id}: no test case`).toBeDefined();
          if (status === 'not judged') {
            expect(c.result).toBe('error');
            continue;
          }
          // The measured word in the test name is the HTML's status.
          expect(c.name.slice(`${v.variant} › ${id} `.length).startsWith(MEASURED_WORD[status as keyof typeof MEASURED_WORD]), `${id}: "${c.name}" vs HTML ${status}`).toBe(true);
          // A failing or erroring case is exactly an SLO the HTML shows as not as expected or without data, for an SLO the variant asserts.
          const asserted = expectation !== '—';
          const bad = outcome === 'NOT as expected' || outcome === 'no data';
          expect(c.result === 'failed' || c.result === 'error', `${id}: ${c.result} vs HTML ${expectation} / ${outcome}`).toBe(asserted && bad);
          expect(c.result === 'skipped', `${id}: ${c.result} vs HTML ${expectation} / ${status}`).toBe(!asserted && status !== 'pass');
        }
        // A suite is red exactly when the variant missed its expectation (what the exit code says).
        expect(suite.failures + suite.errors > 0, `${v.variant}: junit vs verdict met=${v.verdict.met}`).toBe(!v.verdict.met);
      }
    });

    it('tells the story in lines of at most 160 characters', () => {
      for (const v of report.variants) {
        const story = html.querySelectorAll(`#variant-${v.variant} ol.narrative li`).map((li) => li.text);
        expect(story.length).toBeGreaterThan(1);
        for (const line of story) expect(line.length, line).toBeLessThanOrEqual(STORY_LINE_MAX);
      }
    });

    it('shows each action with evidence as tables, the raw JSON one click away', () => {
      for (const v of report.variants) {
        const withEvidence = v.actions.filter((a) => a.evidence && Object.keys(a.evidence).length > 0);
        for (const a of withEvidence) {
          const block = html.querySelector(`#action-${v.variant}-${a.index + 1}`)!;
          expect(block, `action #${a.index + 1}`).not.toBeNull();
          expect(block.querySelectorAll('table').length).toBeGreaterThan(0);
          expect(JSON.parse(block.querySelector('details.raw pre')!.text)).toEqual(a.evidence);
          for (const td of block.querySelectorAll('td')) expect(td.text.length).toBeLessThanOrEqual(100);
        }
      }
    });
  });
});

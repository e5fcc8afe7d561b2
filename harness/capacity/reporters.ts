import { renderCapacityHtml } from './capacity-html.ts';
import { renderCapacityMarkdown } from './capacity-markdown.ts';
import type { CapacityReport } from './capacity-schema.ts';

/** One small interface per output, as the run reporters: a file name and a pure render. */
export interface CapacityReporter {
  readonly file: string;
  render(report: CapacityReport): string;
}

export const CAPACITY_REPORTERS: readonly CapacityReporter[] = [
  { file: 'capacity.json', render: (r) => `${JSON.stringify(r, null, 2)}\n` },
  { file: 'capacity-report.html', render: renderCapacityHtml },
  { file: 'capacity-summary.md', render: renderCapacityMarkdown },
];

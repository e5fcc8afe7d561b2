import type { Reporter } from '../report/reporter.ts';
import { renderCapacityHtml } from './capacity-html.ts';
import { renderCapacityMarkdown } from './capacity-markdown.ts';
import type { CapacityReport } from './capacity-schema.ts';

/** The capacity outputs, through the same Reporter interface and writer as a run's. */
export const CAPACITY_REPORTERS: readonly Reporter<CapacityReport>[] = [
  { name: 'json', file: 'capacity.json', render: (r) => `${JSON.stringify(r, null, 2)}\n` },
  { name: 'html', file: 'capacity-report.html', render: renderCapacityHtml },
  { name: 'markdown', file: 'capacity-summary.md', render: renderCapacityMarkdown },
];

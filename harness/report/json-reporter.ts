import { toSummary } from './report-data.ts';
import type { Reporter } from './reporter.ts';
import { summarySchema } from './summary-schema.ts';

/** summary.json: the versioned machine-readable record. Validated so a bad shape never ships. */
export const jsonReporter: Reporter = {
  name: 'json',
  file: 'summary.json',
  render(report) {
    return `${JSON.stringify(summarySchema.parse(toSummary(report)), null, 2)}\n`;
  },
};

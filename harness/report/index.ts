import { htmlReporter } from './html-reporter.ts';
import { jsonReporter } from './json-reporter.ts';
import { junitReporter } from './junit-reporter.ts';
import { markdownReporter } from './markdown-reporter.ts';
import { openMetricsReporter } from './openmetrics.ts';
import type { Reporter } from './reporter.ts';

// Reporters by name (vitest's registry): the CLI can pick some by name; the default writes them all.
export const reporters = { json: jsonReporter, junit: junitReporter, html: htmlReporter, markdown: markdownReporter, openmetrics: openMetricsReporter } as const satisfies Record<string, Reporter>;
export type ReporterName = keyof typeof reporters;
export const DEFAULT_REPORTERS: readonly Reporter[] = Object.values(reporters);

import type { ScenarioIssue } from './errors.ts';
import { scenarioErrorMap, toScenarioIssues } from './format-issues.ts';
import { HARNESS_K6_PARAMS, K6_CHURN_PARAM_NAMES, K6_CHURN_SCRIPTS, K6_SCRIPT_PARAMS, k6ParamNames } from './k6-scripts.ts';
import type { ScenarioBody } from './scenario-schema.ts';

// A scenario's k6 params against the table of scripts and their parameters (k6-scripts.ts): a
// misspelt parameter is an error at load time, naming it and the allowed ones.

const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');

export function k6Issues(body: Pick<ScenarioBody, 'load'>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  body.load.k6.forEach((run, i) => {
    const at = `load.k6[${i}]`;
    if (run.churn !== undefined && !K6_CHURN_SCRIPTS.includes(run.script)) {
      issues.push({ path: `${at}.churn`, message: `${run.script} does not churn its sockets: churn is read by ${quoted(K6_CHURN_SCRIPTS)}; remove churn or use one of those` });
    }
    const allowed = k6ParamNames(run.script);
    const unknown = Object.keys(run.params).filter((k) => !allowed.includes(k));
    for (const name of unknown) {
      const setByHarness = (HARNESS_K6_PARAMS as readonly string[]).includes(name);
      const setByChurn = (K6_CHURN_PARAM_NAMES as readonly string[]).includes(name);
      issues.push({
        path: `${at}.params.${name}`,
        message: setByChurn
          ? `${name} is set by the harness from load.k6[].churn; remove it from params and set churn (sharePerS, fromS, toS, awayMs)`
          : setByHarness
          ? `${name} is set by the harness for every script (${name === 'VUS' ? 'use load.k6[].vus' : name === 'DURATION_S' ? 'use load.k6[].durationS' : 'from the run itself'}); remove it from params`
          : `unknown parameter of ${run.script}: expected one of ${quoted(allowed)} (harness/scenario/k6-scripts.ts), got ${JSON.stringify(name)}`,
      });
    }
    if (unknown.length > 0) return;
    const parsed = K6_SCRIPT_PARAMS[run.script].safeParse(run.params, { error: scenarioErrorMap, reportInput: true });
    if (!parsed.success) issues.push(...toScenarioIssues(parsed.error, `${at}.params`));
  });
  return issues;
}

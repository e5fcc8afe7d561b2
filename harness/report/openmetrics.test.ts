import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures/sample-run.ts';
import { renderOpenMetrics, SAMPLE_NAMES } from './openmetrics.ts';
import { readFileSync } from 'node:fs';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';
const SAMPLE = /^([a-z0-9_]+)\{([^}]*)\} (\S+) (\d+\.\d{3})$/;

describe('metrics.om (OpenMetrics)', () => {
  it('one family per metric, every sample labelled with scenario, variant and run, stamped with the run clock', async () => {
    const text = renderOpenMetrics(await sampleReport());
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('# EOF');
    const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(expect.arrayContaining(['replay_connections_by_deployment', 'replay_connect_attempts', 'replay_connect_failures', 'replay_delivery_latency_p99_seconds', 'replay_pod_memory_bytes']));
    const samples = lines.filter((l) => !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(500);
    for (const l of samples) {
      const m = SAMPLE.exec(l);
      expect(m, l).not.toBeNull();
      expect(m![2]).toMatch(/^scenario="tiny",variant="(incident|remediated)",run_id="run-1"/);
    }
    // run.meta's startedAt (2026-11-21T10:00:00Z) is second 0.
    expect(text).toContain('replay_connect_attempts_total{scenario="tiny",variant="incident",run_id="run-1"} 20 1795255200.000\n');
    expect(text).toContain('replay_connect_attempts_total{scenario="tiny",variant="incident",run_id="run-1"} 40 1795255201.000\n');
    // Memory in bytes: old-0 holds 60 WebSocket connections at second 0, 40 + 60 × 0.8 = 88 MiB in the sample history.
    expect(text).toMatch(/replay_pod_memory_bytes\{scenario="tiny",variant="incident",run_id="run-1",pod="old-0"\} 92274688 1795255200\.000/);
  });

  it('counters only rise', async () => {
    const text = renderOpenMetrics(await sampleReport());
    const last = new Map<string, number>();
    let checked = 0;
    for (const l of text.split('\n')) {
      const m = SAMPLE.exec(l);
      if (!m || !m[1]!.endsWith('_total')) continue;
      const key = `${m[1]}{${m[2]}}`;
      expect(Number(m[3]), key).toBeGreaterThanOrEqual(last.get(key) ?? 0);
      last.set(key, Number(m[3]));
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('Prometheus ingests it: promtool builds TSDB blocks holding every sample', async () => {
    // promtool comes with Debian's prometheus package, which scripts/setup.sh installs.
    expect(existsSync(PROMTOOL), `${PROMTOOL} is missing: run bash scripts/setup.sh (Debian package prometheus)`).toBe(true);
    const dir = await mkdtemp(path.join(tmpdir(), 'openmetrics-'));
    try {
      const text = renderOpenMetrics(await sampleReport());
      await writeFile(path.join(dir, 'metrics.om'), text);
      const { stdout } = await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', path.join(dir, 'metrics.om'), path.join(dir, 'tsdb')]);
      const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      const counts = [...stdout.matchAll(/^\w{26}\s+\d+\s+\d+\s+\S+\s+(\d+)\s+\d+\s+(\d+)/gm)];
      expect(counts.length).toBeGreaterThan(0);
      expect(counts.reduce((n, m) => n + Number(m[1]), 0)).toBe(samples);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the Grafana dashboard in docs/ queries exactly the series the export writes', () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana/incident-replay-dashboard.json', import.meta.url), 'utf8')) as { panels: { targets: { expr: string }[] }[]; templating: { list: { query?: unknown }[] } };
    const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...dashboard.templating.list.map((v) => JSON.stringify(v.query ?? ''))];
    const used = new Set(exprs.flatMap((e) => e.match(/replay_[a-z0-9_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(SAMPLE_NAMES, name).toContain(name);
    for (const name of SAMPLE_NAMES) expect([...used], name).toContain(name);
  });
});

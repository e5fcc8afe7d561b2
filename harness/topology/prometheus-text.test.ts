import { describe, expect, it } from 'vitest';
import { metricByLabel, metricSum } from './prometheus-text.ts';

const text = [
  '# HELP sut_connections Open client connections by transport',
  '# TYPE sut_connections gauge',
  'sut_connections{transport="ws"} 12',
  'sut_connections{transport="xhr_streaming"} 3',
  'sut_connections_refused_total{reason="over_cap"} 7',
  'sut_connections_refused_total{reason="unknown_app",x="y"} 1',
  'sut_fallback_sessions 4',
].join('\n');

describe('Prometheus text parsing', () => {
  it('reads one metric by label without picking up metrics sharing its prefix', () => {
    expect(metricByLabel(text, 'sut_connections', 'transport')).toEqual({ ws: 12, xhr_streaming: 3 });
    expect(metricByLabel(text, 'sut_connections_refused_total', 'reason')).toEqual({ over_cap: 7, unknown_app: 1 });
  });

  it('sums labelled and unlabelled series', () => {
    expect(metricSum(text, 'sut_connections_refused_total')).toBe(8);
    expect(metricSum(text, 'sut_fallback_sessions')).toBe(4);
    expect(metricSum(text, 'sut_missing')).toBe(0);
  });
});

// Platform smoke script: a bounded number of GETs against one loopback URL, with the threshold
// given by the caller, so the harness can check both of k6's outcomes (0 held, 99 breached). The
// iterations are shared by the VUs; no VU identity is used.
import http from 'k6/http';
import { check } from 'k6';
import type { Options } from 'k6/options';

export const options: Options = {
  // The run's VUs (1 unless set): split over the processes of a run with execution segments.
  vus: Math.max(1, Math.floor(Number(__ENV.VUS || 1))),
  iterations: Number(__ENV.ITERATIONS || 5),
  duration: '30s',
  thresholds: {
    http_req_duration: [__ENV.DURATION_THRESHOLD || 'p(95)<1000'],
  },
};

export default function (): void {
  const res = http.get(__ENV.TARGET);
  check(res, { 'status is 200': (r) => r.status === 200 });
}

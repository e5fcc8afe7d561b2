// Shared by the at-scale variants (`--variant at-scale`): the k6 bulk, the edge and the load's bound
// that take a scenario to 10,000+ connections on this machine, and the SLOs that judge the bulk. Each
// scenario keeps its own clients, sizes and story; the reasons are in docs/scaling.md, "On this machine".

/** k6: 20 VUs × 500 sockets (ws-subscribers.ts), each VU opening its sockets evenly over the arrivals. */
export const AT_SCALE_K6 = { vus: 20, socketsPerVu: 500 } as const;
export const AT_SCALE_K6_SOCKETS = AT_SCALE_K6.vus * AT_SCALE_K6.socketsPerVu;

/**
 * Two HAProxy processes: 10,000 k6 sockets and a few hundred Node clients (two sockets each when they
 * may fall back) spread over 2 are about 5,500 each, within one process's maxconn of 8,000.
 */
export const AT_SCALE_EDGE = { processes: 2 };

/** The load's own bound (not a pod's cap): every client and socket of the run, with room for the probes. */
export const AT_SCALE_MAX_CONNECTIONS = 12_000;

/** How the bulk reconnects (ws-subscribers.ts's RECONNECT_* parameters), as the scenario's clients do. */
export interface K6Reconnect {
  RECONNECT_DELAY_MS: number;
  RECONNECT_MAX_DELAY_MS?: number;
  RECONNECT_JITTER?: boolean;
}

/** The k6 bulk of a replay: arriving over `rampS` as the Node clients do, for `durationS`. */
export function atScaleK6(o: { rampS: number; durationS: number; reconnect: K6Reconnect }) {
  return [
    {
      script: 'ws-subscribers.ts' as const,
      vus: AT_SCALE_K6.vus,
      durationS: o.durationS,
      params: { SOCKETS_PER_VU: AT_SCALE_K6.socketsPerVu, CHANNELS: 100, RAMP_S: o.rampS, RECONNECT: true, ...o.reconnect },
    },
  ];
}

/** Established k6 sockets dropped, as `connections.dropped` judges the Node clients. */
export function k6DropsSlo(why: string) {
  return {
    id: 'k6-drops',
    title: 'Share of established k6 connections (the bulk) that were dropped',
    why,
    kind: 'ratio' as const,
    numerator: { metric: 'k6.pusher_closes', where: { abnormal: 'true' } },
    denominator: { metric: 'k6.pusher_connected' },
    threshold: 'rate<=0.01',
  };
}

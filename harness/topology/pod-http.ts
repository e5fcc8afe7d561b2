/** A pod's answer to a GET: status and body text. */
export interface PodHttpAnswer {
  status: number;
  body: string;
}

/**
 * GET with a timeout; undefined when the pod does not answer (gone, refused to start, stalled near
 * its memory limit). The one way the harness reads a pod's /readyz, /healthz and /metrics.
 */
export async function podGet(url: string, timeoutMs: number): Promise<PodHttpAnswer | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

import type { Proxy } from 'toxiproxy-node-client';
import type { FaultContext } from './fault.ts';
import { FaultError } from './fault.ts';

export async function linkProxy(ctx: FaultContext, link: string): Promise<{ proxy: Proxy; apiUrl: string }> {
  const tp = ctx.topology.toxiproxy;
  if (!tp) throw new FaultError(`link ${link}: the topology runs no Toxiproxy (declare the link in topology.links)`);
  return { proxy: await tp.client.get(link), apiUrl: tp.apiUrl };
}

/** The toxics Toxiproxy reports for a proxy: read back from its API as evidence. */
export async function listToxics(apiUrl: string, link: string): Promise<{ name: string; type: string; stream: string; attributes: unknown }[]> {
  const res = await fetch(`${apiUrl}/proxies/${encodeURIComponent(link)}/toxics`);
  if (!res.ok) throw new FaultError(`toxiproxy: listing toxics of ${link} answered ${res.status}`);
  return (await res.json()) as { name: string; type: string; stream: string; attributes: unknown }[];
}

export async function proxyEnabled(apiUrl: string, link: string): Promise<boolean> {
  const res = await fetch(`${apiUrl}/proxies/${encodeURIComponent(link)}`);
  return ((await res.json()) as { enabled: boolean }).enabled;
}

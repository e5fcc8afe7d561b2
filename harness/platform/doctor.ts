import { existsSync } from 'node:fs';
import { docker } from './docker.ts';
import { run } from './exec.ts';
import { IMAGE_NAMES, imageExists, resolveImage } from './images.ts';
import { SETUP_COMMAND, toolPath, versions } from './paths.ts';
import { serverBundleDir, serverBundleProblem } from './server-bundle.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** The command that fixes a failed check. */
  fix: string;
}

const MIN_DOCKER_API = 1.41;

async function safely(name: string, fix: string, probe: () => Promise<Omit<Check, 'name' | 'fix'>>): Promise<Check> {
  try {
    return { name, fix, ...(await probe()) };
  } catch (err) {
    return { name, fix, ok: false, detail: (err as Error).message.split('\n')[0] ?? String(err) };
  }
}

async function versionOutput(cmd: string, args: string[]): Promise<string> {
  if (cmd.startsWith('/') && !existsSync(cmd)) throw new Error(`${cmd} not found`);
  const { code, stdout, stderr } = await run(cmd, args, { timeoutMs: 15_000 });
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim()}`);
  return stdout + stderr;
}

/** Go binaries installed with `go install` report "git" as their version; the build info is exact. */
async function goModuleVersion(binary: string): Promise<string> {
  const info = await versionOutput('go', ['version', '-m', binary]);
  const m = /\bmod\s+\S+\s+(v\S+)/.exec(info);
  if (!m?.[1]) throw new Error(`no module version in the build info of ${binary}`);
  return m[1];
}

export async function runDoctor(): Promise<Check[]> {
  const dockerFix = `${SETUP_COMMAND}   (or as root: dockerd --bridge=none --iptables=false --ip-masq=false &)`;
  const engine = await safely('docker engine', dockerFix, async () => {
    const api = await docker();
    const v = await api.version();
    const apiVersion = Number.parseFloat(v.ApiVersion);
    return {
      ok: apiVersion >= MIN_DOCKER_API,
      detail: `server ${v.Version}, API ${v.ApiVersion} (need ≥ ${MIN_DOCKER_API})`,
    };
  });
  const checks: Check[] = [engine];
  checks.push(
    await safely('memory cgroup + swap limit', 'enable the memory cgroup and swap accounting in the kernel (cgroup_enable=memory swapaccount=1)', async () => {
      if (!engine.ok) throw new Error('needs the docker engine');
      const info = (await (await docker()).info()) as { MemoryLimit?: boolean; SwapLimit?: boolean; CgroupVersion?: string };
      return {
        ok: Boolean(info.MemoryLimit && info.SwapLimit),
        detail: `memory limit ${info.MemoryLimit ? 'yes' : 'no'}, swap limit ${info.SwapLimit ? 'yes' : 'no'}, cgroup v${info.CgroupVersion ?? '?'}`,
      };
    }),
  );
  checks.push(
    await safely(`k6 ${versions.k6}`, SETUP_COMMAND, async () => {
      const out = await versionOutput(toolPath('k6'), ['version']);
      return { ok: out.includes(`k6 ${versions.k6} `), detail: `${toolPath('k6')}: ${out.trim().split('\n')[0]}` };
    }),
  );
  for (const tool of ['toxiproxy-server', 'toxiproxy-cli'] as const) {
    checks.push(
      await safely(`${tool} ${versions.toxiproxy}`, SETUP_COMMAND, async () => {
        const got = await goModuleVersion(toolPath(tool));
        return { ok: got === versions.toxiproxy, detail: `${toolPath(tool)}: ${got}` };
      }),
    );
  }
  checks.push(
    await safely('haproxy binary', `${SETUP_COMMAND}   (or: apt-get install -y haproxy)`, async () => {
      const out = await versionOutput('/usr/sbin/haproxy', ['-v']);
      return { ok: /HAProxy version 2\./.test(out), detail: out.split('\n')[0]?.trim() ?? '' };
    }),
  );
  checks.push(
    await safely('redis-server binary', `${SETUP_COMMAND}   (or: apt-get install -y redis-server)`, async () => {
      const out = await versionOutput('/usr/bin/redis-server', ['--version']);
      return { ok: /v=7\./.test(out), detail: out.trim().split(' ').slice(0, 3).join(' ') };
    }),
  );
  checks.push(
    await safely('chromium (report check)', `${SETUP_COMMAND}   (or: apt-get install -y chromium)`, async () => {
      const out = await versionOutput('/usr/bin/chromium', ['--version']);
      const line = out.split('\n').find((l) => l.startsWith('Chromium'));
      return { ok: Boolean(line), detail: line ?? out.trim() };
    }),
  );
  checks.push(
    await safely('server bundle', 'npm run server:build', async () => ({
      ok: serverBundleProblem() === undefined,
      detail: serverBundleProblem() ?? serverBundleDir(),
    })),
  );
  for (const name of IMAGE_NAMES) {
    const env = `HARNESS_IMAGE_${name.toUpperCase()}`;
    const fix = process.env[env] ? `docker pull ${process.env[env]}   (or unset ${env} to use the local image)` : 'node harness/cli/bin.js images   (or npm run setup)';
    checks.push(
      await safely(`image ${name}`, fix, async () => {
        if (!engine.ok) throw new Error('needs the docker engine');
        const image = await resolveImage(name);
        const present = await imageExists(image.ref);
        return { ok: present, detail: `${image.ref}${present ? '' : ' not present'}${image.overridden ? ` (from ${env})` : ''}` };
      }),
    );
  }
  return checks;
}

export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${c.ok ? '✔' : '✘'} ${c.name.padEnd(width)}  ${c.detail}${c.ok ? '' : `\n  ${' '.repeat(width)}  fix: ${c.fix}`}`);
  return lines.join('\n');
}

import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PROFILE, loadProfile } from '../../capacity/load-profile.ts';
import { capacityRunId, replanCapacity, runCapacity } from '../../capacity/run-capacity.ts';
import { committedModelFile } from '../../capacity/sizing.ts';
import { Teardown, teardownOnExit } from '../../platform/teardown.ts';
import { DEFAULT_OUT } from './run.ts';

interface CapacityOpts {
  profile: string;
  out: string;
  saveModel?: string | boolean;
  json?: boolean;
  replan?: string;
}

export function registerCapacity(program: Command): void {
  program
    .command('capacity')
    .description('breakpoint tests of one pod per role, a fitted capacity model and a failover-aware plan')
    .option('--profile <file>', 'capacity profile (JSON)', DEFAULT_PROFILE)
    .option('--out <dir>', 'where the capacity/<run-id>/ directory goes', DEFAULT_OUT)
    .option('--save-model [file]', 'also write the fitted model for scenarios to use (default: capacity/model.json for 1 MiB retained per connection, capacity/model-natural.json for none, capacity/model-retained-<bytes>.json otherwise)')
    .option('--replan <capacity.json>', 're-fit and re-plan saved measurements with this profile (no pods are started)')
    .option('--json', 'print one JSON line (run directory, plan summary) instead of text')
    .action(async (opts: CapacityOpts) => {
      const profile = await loadProfile(opts.profile);
      const runId = capacityRunId(profile);
      const log = opts.json ? (l: string) => console.error(l) : (l: string) => console.log(l);
      const teardown = new Teardown(runId);
      const release = teardownOnExit(teardown);
      try {
        const saveModel = opts.saveModel === true ? committedModelFile(profile.retainedBytesPerConnection) : typeof opts.saveModel === 'string' ? resolve(opts.saveModel) : undefined;
        const args = { profile, profileFile: relative(process.cwd(), resolve(opts.profile)), outRoot: resolve(opts.out), saveModel };
        const { dir, report, files } = opts.replan ? await replanCapacity({ ...args, saved: resolve(opts.replan) }) : await runCapacity({ ...args, runId, teardown, log });
        const p = report.plan;
        if (opts.json) {
          console.log(JSON.stringify({ runDir: dir, roles: p.roles.map((r) => ({ role: r.role, pods: r.pods, binding: r.binding, memoryLimitMb: r.memoryLimitMb })), failover: p.failover, heldOutError: report.model.heldOutError }));
        } else {
          for (const r of p.roles) log(`${r.role}: ${r.pods} pods (N+1) of ${r.podMemoryMb} MiB / ${r.podCpus} CPU, bound by ${r.binding}; a pod needs ${r.memoryLimitMb} MiB`);
          log(`primary fails: a surge of ${p.failover.surge} sessions onto the fallback`);
          for (const f of p.failover.fleets) log(`  fallback ${f.name} (${f.pods} pods) absorbs ${f.largestAbsorbableSurge}: ${f.survives ? 'survives' : 'does NOT survive'}`);
          for (const f of files) log(`  ${f}`);
        }
      } finally {
        for (const e of await teardown.run()) log(`  cleanup: ${e}`);
        release();
      }
    });
}

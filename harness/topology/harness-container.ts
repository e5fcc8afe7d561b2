import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { creationGate } from '../platform/creation-gate.ts';
import { phaseHook } from '../platform/phase-hook.ts';
import { harnessLabels } from '../platform/labels.ts';

export type RestartPolicyName = 'no' | 'always' | 'unless-stopped' | 'on-failure';

/**
 * A testcontainers GenericContainer with what the harness needs and the library's API lacks:
 * host networking always (everything binds 127.0.0.1), the harness's cleanup labels, a memory
 * limit with swap equal to it (so the kernel OOM-kills instead of swapping), and a restart policy.
 */
export class HarnessContainer extends GenericContainer {
  constructor(
    image: string,
    runId: string,
    private readonly component: string,
  ) {
    super(image);
    this.withNetworkMode('host').withLabels(harnessLabels(runId, component));
  }

  /** Every container start passes the creation gate: refused after an interrupt, tracked while in flight. */
  override start(): Promise<StartedTestContainer> {
    return creationGate.pass(`container ${this.component}`, async (n) => {
      if (n === 2) await phaseHook('setup');
      return super.start();
    });
  }

  withMemoryLimitMb(mb: number): this {
    const bytes = Math.round(mb * 1024 * 1024);
    this.hostConfig.Memory = bytes;
    this.hostConfig.MemorySwap = bytes;
    return this;
  }

  withCpus(cpus: number): this {
    this.hostConfig.NanoCpus = Math.round(cpus * 1e9);
    return this;
  }

  withRestartPolicy(name: RestartPolicyName, maximumRetryCount = 0): this {
    this.hostConfig.RestartPolicy = { Name: name, MaximumRetryCount: name === 'on-failure' ? maximumRetryCount : 0 };
    return this;
  }
}

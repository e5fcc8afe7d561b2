// What a deployment runs, as the deploy tooling of the 2019-12 report saw it: an app version set in a
// central service and a config version rolled out separately. Pure bookkeeping; the deploy actions
// turn its answers into replaced pods.

export interface ConfigVersion {
  version: string;
  values: Record<string, unknown>;
}

export interface Release {
  appVersion: string;
  config?: ConfigVersion | undefined;
}

export type RollbackScope = 'app' | 'app+config';

export function describeRelease(r: Release): string {
  return `${r.appVersion} / config ${r.config?.version ?? 'none'}`;
}

export class ReleaseError extends Error {
  readonly code = 'RELEASE';
}

/**
 * One deployment's releases. A roll-out remembers what ran before it; a rollback undoes the latest
 * roll-out: `app` brings back its app version and keeps the CURRENT config (the 2019 procedure),
 * `app+config` brings back both. A rollback never goes further back than the latest roll-out, so
 * running it again (after clearing locks, say) aims at the same release.
 */
export class ReleaseHistory {
  private readonly before: Release[] = [];
  private readonly configs = new Map<string, ConfigVersion>();

  constructor(private release: Release) {
    this.remember(release.config);
  }

  get current(): Release {
    return this.release;
  }

  /** The release the latest roll-out replaced, if any. */
  get previous(): Release | undefined {
    return this.before.at(-1);
  }

  /**
   * The release a roll-out of these params makes: fields not given stay as they are. A config version
   * given without values must be one this deployment already had (re-deploying a known version).
   */
  next(p: { appVersion?: string | undefined; config?: Record<string, unknown> | undefined; configVersion?: string | undefined }): Release {
    let config = this.release.config;
    if (p.config !== undefined) {
      config = { version: p.configVersion ?? this.nextConfigVersion(), values: p.config };
    } else if (p.configVersion !== undefined) {
      const known = this.configs.get(p.configVersion);
      if (!known) throw new ReleaseError(`config version ${p.configVersion} was never deployed here and no config values were given (known: ${[...this.configs.keys()].join(', ') || 'none'})`);
      config = known;
    }
    return { appVersion: p.appVersion ?? this.release.appVersion, config };
  }

  /** Records a roll-out to `next`. */
  rollOut(next: Release): void {
    this.before.push(this.release);
    this.release = next;
    this.remember(next.config);
  }

  /** The release a rollback of `scope` goes to, without changing anything. */
  rollbackTarget(scope: RollbackScope): Release {
    const prev = this.previous;
    if (!prev) throw new ReleaseError(`nothing to roll back: no roll-out recorded since ${describeRelease(this.release)}`);
    return scope === 'app' ? { appVersion: prev.appVersion, config: this.release.config } : prev;
  }

  /** Records a rollback of `scope`; returns the release now current. */
  rollBack(scope: RollbackScope): Release {
    this.release = this.rollbackTarget(scope);
    return this.release;
  }

  private remember(config: ConfigVersion | undefined): void {
    if (config) this.configs.set(config.version, config);
  }

  private nextConfigVersion(): string {
    let n = this.configs.size + 1;
    while (this.configs.has(String(n))) n++;
    return String(n);
  }
}

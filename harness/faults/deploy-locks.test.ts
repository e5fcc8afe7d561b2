import { describe, expect, it } from 'vitest';
import { DeployLocks } from './deploy-locks.ts';

describe('DeployLocks', () => {
  it('a lock stays until released, and says which deploy holds it', () => {
    const locks = new DeployLocks();
    locks.take('ap2-1', 'deploy.rollback(app) ap2', 1000);
    locks.take('ap2-2', 'deploy.rollback(app) ap2', 1100);
    locks.release('ap2-2');
    expect(locks.holder('ap2-1')).toEqual({ pod: 'ap2-1', heldBy: 'deploy.rollback(app) ap2', sinceMs: 1000 });
    expect(locks.holder('ap2-2')).toBeUndefined();
    expect(locks.on(['ap2-1', 'ap2-2', 'mt1-1'])).toHaveLength(1);
  });

  it('a later deploy taking a held lock replaces the holder', () => {
    const locks = new DeployLocks();
    locks.take('p', 'first', 1);
    locks.take('p', 'second', 2);
    expect(locks.holder('p')?.heldBy).toBe('second');
  });

  it('clearing removes the locks of the named pods only and returns them', () => {
    const locks = new DeployLocks();
    locks.take('a-1', 'd', 1);
    locks.take('b-1', 'd', 2);
    expect(locks.clear(['a-1', 'a-2']).map((l) => l.pod)).toEqual(['a-1']);
    expect(locks.on(['a-1', 'b-1']).map((l) => l.pod)).toEqual(['b-1']);
  });
});

import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import oomCascade from '../../scenarios/oom-cascade.ts';
import { resolveVariant, validateScenario } from '../scenario/resolve.ts';
import { memoryLimitMb } from './plan.ts';
import { COMMITTED_MODEL_FILE, committedModelFile, committedModelFor, NATURAL_MODEL_FILE, readCommittedModel, sizePodMemoryMb } from './sizing.ts';

const MIB = 1024 * 1024;

describe('committed capacity models, one per retained bytes per connection', () => {
  it('picks the model measured with the per-connection memory asked for', () => {
    expect(committedModelFor(MIB).file).toBe(COMMITTED_MODEL_FILE);
    expect(committedModelFor(0).file).toBe(NATURAL_MODEL_FILE);
    expect(readCommittedModel(NATURAL_MODEL_FILE).model.retainedBytesPerConnection).toBe(0);
    expect(readCommittedModel(COMMITTED_MODEL_FILE).model.retainedBytesPerConnection).toBe(MIB);
  });

  it('sizes from that model: base + connections / (1 - headroom) × per-connection, in 8 MiB steps', () => {
    for (const retained of [0, MIB]) {
      const { committed } = committedModelFor(retained);
      const ws = committed.model.memory.find((m) => m.role === 'ws')!;
      const expected = Math.ceil((ws.baseMb + (3000 / (1 - committed.headroom)) * (ws.perConnectionKb / 1024)) / 8) * 8;
      expect(sizePodMemoryMb({ role: 'ws', connections: 3000, retainedBytesPerConnection: retained })).toBe(expected);
    }
    // The natural cost is a few KiB, the padded one a MiB: the same connections need far less memory.
    expect(sizePodMemoryMb({ role: 'ws', connections: 3000, retainedBytesPerConnection: 0 })).toBeLessThan(sizePodMemoryMb({ role: 'ws', connections: 300, retainedBytesPerConnection: MIB }));
  });

  it('refuses a per-connection memory no model was measured with, naming the ones there are', () => {
    expect(() => sizePodMemoryMb({ role: 'ws', connections: 10, retainedBytesPerConnection: 12345 })).toThrow(
      /no capacity model was measured with RETAINED_BYTES_PER_CONNECTION=12345 \(measured: .*1048576 \(model\.json\).*\); set retainedBytesPerConnection/,
    );
    const padded = readCommittedModel().model;
    expect(() => sizePodMemoryMb({ role: 'ws', connections: 10, retainedBytesPerConnection: 0, model: padded })).toThrow(/measured with RETAINED_BYTES_PER_CONNECTION=1048576, not 0/);
  });

  it('refuses two models measured with the same value', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'models-'));
    await copyFile(COMMITTED_MODEL_FILE, path.join(dir, 'model.json'));
    await copyFile(COMMITTED_MODEL_FILE, path.join(dir, 'model-copy.json'));
    expect(() => committedModelFor(MIB, dir)).toThrow(/were both measured with RETAINED_BYTES_PER_CONNECTION=1048576: keep one/);
  });

  it('--save-model writes where the lookup finds it', () => {
    expect(committedModelFile(0)).toBe(NATURAL_MODEL_FILE);
    expect(committedModelFile(MIB)).toBe(COMMITTED_MODEL_FILE);
    expect(path.basename(committedModelFile(4096))).toBe('model-retained-4096.json');
  });

  it('the remediated oom-cascade pods are the padded model’s size for their N+1 share', () => {
    const remediated = resolveVariant(validateScenario(oomCascade, 'scenarios/oom-cascade.ts'), 'remediated');
    const pods = remediated.topology.deployments.find((d) => d.name === 'new')!;
    const ws = readCommittedModel().model.memory.find((m) => m.role === 'ws')!;
    expect(pods.memoryMb).toBe(memoryLimitMb(ws, Math.ceil((0.7 * 450) / 2), readCommittedModel().headroom));
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageMapping } from './image-profile.ts';
import { parseServerList } from './registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
const example = resolve(import.meta.dirname, '../../docs/servers/sockudo-by-env.json');
const write = (name: string, body: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};

describe('image mapping files', () => {
  it('reads the documented example', () => {
    const m = loadImageMapping(example);
    expect(m.name).toBe('sockudo-env');
    expect(m.capabilities.transports).toEqual(['ws']);
  });

  it('names the field of every problem, before anything starts', () => {
    const base = loadImageMapping(example);
    expect(() => loadImageMapping(write('a.json', { ...base, readyPath: 'up' }))).toThrow(/readyPath: expected a path starting with \//);
    expect(() => loadImageMapping(write('b.json', { ...base, env: { ...base.env, X: '{nope}' } }))).toThrow(/\{nope\} is not a placeholder/);
    expect(() => loadImageMapping(write('c.json', { ...base, capabilities: { ...base.capabilities, connectionCap: true } }))).toThrow(/\{maxConnections\} is used nowhere.*connectionCap is true/);
    expect(() => loadImageMapping(write('d.json', '{ not json'))).toThrow(/cannot read the mapping file/);
    expect(() => loadImageMapping(write('e.json', { ...base, extra: 1 }))).toThrow(/Unrecognized key/);
  });

  it('refuses unknown and repeated servers', () => {
    expect(() => parseServerList('sut,nope')).toThrow(/no such server profile; known: sut, sockudo/);
    expect(() => parseServerList('sut,sut')).toThrow(/sut is named twice/);
    expect(parseServerList('sut,sockudo').map((p) => p.name)).toEqual(['sut', 'sockudo']);
  });
});

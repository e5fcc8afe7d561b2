import { createHash } from 'node:crypto';
import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { docker, dockerCliEnv } from './docker.ts';
import { run } from './exec.ts';
import { cacheDir, SETUP_COMMAND, toolPath } from './paths.ts';

/**
 * Local images, never pulled: each is `FROM scratch` with one host binary plus the shared
 * libraries `ldd` lists, tagged with a hash of those inputs so it is rebuilt only when they change.
 * A user with registry access can point at other images with HARNESS_IMAGE_<NAME>.
 */
export type ImageName = 'node' | 'haproxy' | 'redis' | 'toxiproxy';
export const IMAGE_NAMES: readonly ImageName[] = ['node', 'haproxy', 'redis', 'toxiproxy'];

export interface ImageRecipe {
  /** Host binary to copy (symlinks are followed). */
  source: () => string;
  /** Where it lives in the image; also the command name containers run. */
  target: string;
}

// Bump when the way images are assembled changes, so old tags stop matching.
const RECIPE_VERSION = '1';

const RECIPES: Record<ImageName, ImageRecipe> = {
  node: { source: () => process.execPath, target: '/usr/bin/node' },
  haproxy: { source: () => '/usr/sbin/haproxy', target: '/usr/sbin/haproxy' },
  redis: { source: () => '/usr/bin/redis-server', target: '/usr/bin/redis-server' },
  toxiproxy: { source: () => toolPath('toxiproxy-server'), target: '/usr/local/bin/toxiproxy-server' },
};

export interface ResolvedImage {
  /** One of IMAGE_NAMES, or a server profile's image (e.g. sockudo). */
  name: string;
  /** Full reference, e.g. incident-harness/node:3f2a9c1b04de. */
  ref: string;
  /** True when the user named the image; the harness then neither hashes nor builds it. */
  overridden: boolean;
  /** Files to place in the image: destination path in the image → host path. */
  files: Map<string, string>;
}

export class ImageInputError extends Error {
  readonly code = 'IMAGE_INPUT_MISSING';
}

function overrideFor(name: ImageName): string | undefined {
  return process.env[`HARNESS_IMAGE_${name.toUpperCase()}`] || undefined;
}

/** Shared libraries of a binary as `ldd` resolves them on this host (path in image → host path). */
async function sharedLibraries(binary: string): Promise<Map<string, string>> {
  const { code, stdout, stderr } = await run('ldd', [binary]);
  const libs = new Map<string, string>();
  // Static binaries make ldd exit 1 with "not a dynamic executable": no libraries needed.
  if (code !== 0) {
    if (/not a dynamic executable/.test(stdout + stderr)) return libs;
    throw new ImageInputError(`ldd ${binary} failed: ${stderr.trim()}`);
  }
  for (const line of stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.set(m[1], realpathSync(m[1]));
    if (/=> not found/.test(line)) throw new ImageInputError(`${binary}: shared library missing: ${line.trim()}`);
  }
  return libs;
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export async function resolveImage(name: ImageName): Promise<ResolvedImage> {
  const override = overrideFor(name);
  if (override) return { name, ref: override, overridden: true, files: new Map() };
  return resolveBinaryImage(name, RECIPES[name]);
}

/**
 * A FROM-scratch image of one host binary and its libraries, e.g. a server profile's. `missing`
 * says how to get the binary when it is not there.
 */
export async function resolveBinaryImage(name: string, recipe: ImageRecipe, missing = `run \`${SETUP_COMMAND}\``): Promise<ResolvedImage> {
  const source = recipe.source();
  if (!existsSync(source)) {
    throw new ImageInputError(`image ${name}: ${source} is missing; ${missing}`);
  }
  const files = new Map<string, string>([[recipe.target, realpathSync(source)]]);
  for (const [inImage, host] of await sharedLibraries(source)) files.set(inImage, host);
  const hash = createHash('sha256').update(`recipe ${RECIPE_VERSION}\n`);
  for (const dest of [...files.keys()].sort()) {
    hash.update(`${dest} ${await sha256File(files.get(dest)!)}\n`);
  }
  return { name, ref: `incident-harness/${name}:${hash.digest('hex').slice(0, 12)}`, overridden: false, files };
}

export async function imageExists(ref: string): Promise<boolean> {
  // The same API client as everything else, so doctor and runs agree on which engine they asked.
  try {
    await (await docker()).getImage(ref).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

export type BuildOutcome = 'built' | 'already there' | 'external';

/** Builds the image unless an image with the same input hash is already present. */
export async function ensureImage(image: ResolvedImage): Promise<BuildOutcome> {
  if (image.overridden) return 'external';
  if (await imageExists(image.ref)) return 'already there';
  const context = join(cacheDir(), 'build', 'images', image.ref.replace(/[/:]/g, '-'));
  await rm(context, { recursive: true, force: true });
  try {
    for (const [dest, host] of image.files) {
      const to = join(context, 'rootfs', dest);
      await mkdir(dirname(to), { recursive: true });
      await copyFile(host, to);
    }
    await mkdir(join(context, 'rootfs', 'tmp'), { recursive: true });
    await writeFile(
      join(context, 'Dockerfile'),
      'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/usr/sbin:/bin\n',
    );
    // The legacy builder needs no BuildKit plugin and never contacts a registry for FROM scratch.
    const built = await run('docker', ['build', '-q', '-t', image.ref, '--label', 'io.incident-harness.image=true', context], {
      timeoutMs: 300_000,
      env: { ...dockerCliEnv(), DOCKER_BUILDKIT: '0' },
    });
    if (built.code !== 0) throw new Error(`docker build ${image.ref} failed: ${built.stderr.trim()}`);
    return 'built';
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

export async function resolveImages(): Promise<Record<ImageName, ResolvedImage>> {
  const entries = await Promise.all(IMAGE_NAMES.map(async (n) => [n, await resolveImage(n)] as const));
  return Object.fromEntries(entries) as Record<ImageName, ResolvedImage>;
}

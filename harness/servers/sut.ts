import { ensureImage, imageExists, resolveImage } from '../platform/images.ts';
import { SETUP_COMMAND } from '../platform/paths.ts';
import { serverBundleProblem } from '../platform/server-bundle.ts';
import { ROOT_CAUSE_SWITCHES } from '../plan/server-capabilities.ts';
import { sutRuntime } from '../topology/sut-runtime.ts';
import type { ServerProfile } from './profile.ts';

/** Our own server (server-under-test/): every transport and every root-cause switch of the postmortems. */
export const sutProfile: ServerProfile = {
  name: 'sut',
  title: 'our server (server-under-test/)',
  capabilities: {
    transports: ['ws', 'xhr_streaming', 'xhr_polling', 'sockjs'],
    webhooks: ['ws', 'xhr_streaming', 'xhr_polling', 'sockjs'],
    connectionCap: true,
    redisAdapter: true,
    switches: [...ROOT_CAUSE_SWITCHES],
    ourVersions: true,
    readinessModes: ['shallow', 'deep'],
    liveHeap: true,
  },
  problem: async () => {
    const bundle = serverBundleProblem();
    if (bundle) return bundle;
    const image = await resolveImage('node');
    return (await imageExists(image.ref)) ? undefined : `image ${image.ref} is missing; run \`${SETUP_COMMAND}\` (or \`harness images\`)`;
  },
  ensureImage: async () => {
    const image = await resolveImage('node');
    await ensureImage(image);
    return image.ref;
  },
  runtime: (image) => sutRuntime(image),
};

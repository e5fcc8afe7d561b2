import { imageProfile, loadImageMapping } from './image-profile.ts';
import type { ServerProfile } from './profile.ts';
import { ServerProfileError } from './profile.ts';
import { sockudoProfile } from './sockudo.ts';
import { sutProfile } from './sut.ts';

/** Every built-in profile, by the name `--server` takes. */
export const SERVER_PROFILES: readonly ServerProfile[] = [sutProfile, sockudoProfile];

/** The profile `name` names (`image:<mapping.json>` for a team's own image); an unknown name is refused with the list of known ones. */
export function serverProfile(name: string): ServerProfile {
  if (name.startsWith('image:')) return imageProfile(loadImageMapping(name.slice('image:'.length)));
  const found = SERVER_PROFILES.find((p) => p.name === name);
  if (!found) throw new ServerProfileError(`--server ${JSON.stringify(name)}: no such server profile; known: ${SERVER_PROFILES.map((p) => p.name).join(', ')}, or image:<mapping.json> for an image of your own (docs/servers.md)`);
  return found;
}

/** `--server sut,sockudo` → profiles, in order, each once. */
export function parseServerList(list: string): ServerProfile[] {
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new ServerProfileError(`--server ${JSON.stringify(list)}: name at least one server profile (${SERVER_PROFILES.map((p) => p.name).join(', ')})`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ServerProfileError(`--server ${JSON.stringify(list)}: ${dup} is named twice`);
  const profiles = names.map(serverProfile);
  const clash = profiles.find((p, i) => profiles.findIndex((q) => q.name === p.name) !== i);
  if (clash) throw new ServerProfileError(`--server ${JSON.stringify(list)}: two profiles are named ${clash.name}`);
  return profiles;
}

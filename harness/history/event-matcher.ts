import type { EventMatcher } from '../scenario/conditions.ts';
import type { HistoryEvent } from './events.ts';

/** Does an event match `{ type, where }`? `where` keys may be dotted paths into the event. */
export function matchesEvent(event: HistoryEvent, matcher: EventMatcher): boolean {
  if (event.type !== matcher.type) return false;
  for (const [path, want] of Object.entries(matcher.where ?? {})) {
    let v: unknown = event;
    for (const part of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
    if (v !== want) return false;
  }
  return true;
}

/** A stable key for a matcher, so verdicts can look up the time it first matched. */
export function matcherKey(matcher: EventMatcher): string {
  const where = Object.entries(matcher.where ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return `${matcher.type}${JSON.stringify(where)}`;
}

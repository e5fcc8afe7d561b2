import { OptionError } from '../platform/option-error.ts';

/** `20m`, `90s`, `1h`, `1h30m` or plain seconds → milliseconds; anything else is an error with the fix. */
export function parseDuration(text: string, flag = '--budget'): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!m || t === '' || (!m[1] && !m[2] && !m[3])) throw new OptionError(`${flag} ${text}: expected a duration like 20m, 90s, 1h or 1h30m`);
  const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
  if (ms <= 0) throw new OptionError(`${flag} ${text}: expected a duration above 0`);
  return ms;
}

/** A discriminated union's "no such kind" message lists the kinds that exist. */
export const kindError = (kinds: string[]) => ({
  error: (iss: { code: string }) => (iss.code === 'invalid_union' ? `expected kind to be one of ${kinds.join(', ')}` : undefined),
});

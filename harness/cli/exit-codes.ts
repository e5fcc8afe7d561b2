/** 0: every requested variant met its expectation; 1: one did not; 2: usage or set-up error. */
export const EXIT = { ok: 0, expectationNotMet: 1, usage: 2 } as const;

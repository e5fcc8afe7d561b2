/** The Pusher app every pod of the server under test is configured with, and every client signs with. */
export const APP = { id: '424242', key: 'harness-key', secret: 'harness-secret' } as const;
export type App = { readonly id: string; readonly key: string; readonly secret: string };

// Our own Pusher protocol 7 client (ws and the HTTP fallback) and a signed REST client.
export { connect, PusherConnection, SubscriptionError, type ConnectOptions, type EventHandler } from './connection.ts';
export { ConnectError } from './connect-error.ts';
export { assertLoopback, fallbackSessionBase, CLIENT_QUERY, NonLoopbackTargetError, LOOPBACK_HOST, type Endpoint } from './endpoint.ts';
export { newSessionPath } from './xhr-socket.ts';
export type { FallbackSessionPath } from './ws-socket.ts';
export { authorizeChannel, channelKindOf, channelPrefix, type AppCredentials, type ChannelKind, type PresenceUser } from './auth.ts';
export { CLIENT_TRANSPORTS, type ClientTransport, type CloseInfo } from './raw-socket.ts';
export { dataObject, type PusherFrame } from './frames.ts';
export { RestClient, signQuery, signedRequest, publishRequest, channelInfoRequest, type RestResponse, type SignedRequest } from './rest-client.ts';

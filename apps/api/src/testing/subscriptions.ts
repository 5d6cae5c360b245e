import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

/**
 * Opens a graphql-ws client on `${baseUrl}/graphql` that sends `token` when the socket connects
 * and does not reconnect, for tests outside this workspace that follow subscriptions.
 */
export function openSubscriptionClient(baseUrl: string, token: string): Client {
  return createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

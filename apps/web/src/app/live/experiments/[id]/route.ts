// Server-sent events of one experiment: the dashboard's server subscribes to experimentUpdated
// and candidateFinished over graphql-ws with the session's token and relays each payload as an
// event (`experiment`, `candidate`), so the browser needs neither the token nor a WebSocket.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CandidateFinishedSubscription,
  ExperimentUpdatedSubscription,
} from '../../../../features/experiments/queries.js';
import { apiWebSocketUrl } from '../../../../lib/server/config.js';
import { restError, sessionToken } from '../../../../lib/server/proxy.js';

export const dynamic = 'force-dynamic';

/** Interval of SSE comments that keep proxies from closing an idle stream, in milliseconds. */
const KEEP_ALIVE_MS = 15_000;

/** Close code graphql-ws uses, and the API sends, for a connection without a valid token. */
const CLOSE_UNAUTHORIZED = 4401;

interface Context {
  params: Promise<{ id: string }>;
}

/** Turns a graphql-ws failure (a close event, GraphQL errors or an Error) into a code and message. */
function describeFailure(error: unknown): { code: string; message: string } {
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
    return {
      code: first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      message: first?.message ?? 'The subscription failed.',
    };
  }
  const close = error as { code?: number; reason?: string };
  if (typeof close.code === 'number') {
    if (close.code === CLOSE_UNAUTHORIZED)
      return { code: 'UNAUTHENTICATED', message: close.reason || 'Unauthorized.' };
    return {
      code: 'NETWORK',
      message: `The API closed the live connection (${close.code} ${close.reason ?? ''}).`.trim(),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'NETWORK', message: `The live connection to the API failed: ${message}` };
}

export async function GET(request: Request, context: Context): Promise<Response> {
  const token = await sessionToken();
  if (!token) return restError(401, 'UNAUTHENTICATED', 'You are not signed in: sign in with an API token.');
  const { id } = await context.params;
  const encoder = new TextEncoder();
  let stop: () => void = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const send = (event: string, data: unknown) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      const client: Client = createClient({
        url: apiWebSocketUrl(),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 5,
        shouldRetry: (event) => (event as { code?: number }).code !== CLOSE_UNAUTHORIZED,
      });
      const fail = (error: unknown) => {
        send('failure', describeFailure(error));
        stop();
      };
      const unsubscribeExperiment = client.subscribe(
        { query: ExperimentUpdatedSubscription.toString(), variables: { id } },
        {
          next: (value) => send('experiment', value.data?.experimentUpdated),
          error: fail,
          complete: () => {
            send('end', {});
            stop();
          },
        },
      );
      const unsubscribeCandidates = client.subscribe(
        { query: CandidateFinishedSubscription.toString(), variables: { experimentId: id } },
        {
          next: (value) => send('candidate', value.data?.candidateFinished),
          error: fail,
          complete: () => {},
        },
      );
      const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);

      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(keepAlive);
        unsubscribeExperiment();
        unsubscribeCandidates();
        void client.dispose();
        try {
          controller.close();
        } catch {
          // The browser already went away and the stream is closed.
        }
      };
      request.signal.addEventListener('abort', () => stop());
    },
    cancel() {
      stop();
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}

// Forwards the browser's GraphQL requests to the API with the token of the session cookie.
import { apiUrl } from '../../lib/server/config.js';
import { unreachable } from '../../lib/server/api.js';
import { graphqlError, relay, sameOrigin, sessionToken } from '../../lib/server/proxy.js';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const token = await sessionToken();
  if (!token)
    return graphqlError(401, 'UNAUTHENTICATED', 'You are not signed in: sign in with an API token.');
  if (!sameOrigin(request)) {
    return graphqlError(
      403,
      'FORBIDDEN',
      'Cross-site requests are rejected: use the dashboard at its own address.',
    );
  }
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
    return graphqlError(
      415,
      'BAD_USER_INPUT',
      'Send GraphQL requests as JSON (Content-Type: application/json).',
    );
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${apiUrl()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: await request.text(),
      cache: 'no-store',
    });
  } catch (error) {
    const failure = unreachable(error);
    return graphqlError(502, failure.code, failure.message);
  }
  return relay(upstream);
}

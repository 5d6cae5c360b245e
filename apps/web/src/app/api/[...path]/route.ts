// Forwards the browser's REST requests under /api (downloads and uploads) to the API with the
// token of the session cookie. Bodies stream through in both directions, so large uploads and
// model archives are never held in memory.
import { apiUrl } from '../../../lib/server/config.js';
import { unreachable } from '../../../lib/server/api.js';
import { relay, restError, sameOrigin, sessionToken } from '../../../lib/server/proxy.js';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ path: string[] }>;
}

async function forward(request: Request, context: Context): Promise<Response> {
  const token = await sessionToken();
  if (!token) return restError(401, 'UNAUTHENTICATED', 'You are not signed in: sign in with an API token.');
  if (request.method !== 'GET' && !sameOrigin(request)) {
    return restError(
      403,
      'FORBIDDEN',
      'Cross-site requests are rejected: use the dashboard at its own address.',
    );
  }
  const { path } = await context.params;
  const search = new URL(request.url).search;
  const target = `${apiUrl()}/api/${path.map(encodeURIComponent).join('/')}${search}`;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  const contentType = request.headers.get('content-type');
  if (contentType) headers['content-type'] = contentType;
  const contentLength = request.headers.get('content-length');
  if (contentLength) headers['content-length'] = contentLength;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  try {
    const upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      // Node's fetch needs this to send a streamed request body.
      ...(hasBody ? { duplex: 'half' } : {}),
      cache: 'no-store',
    } as RequestInit);
    return relay(upstream);
  } catch (error) {
    const failure = unreachable(error);
    return restError(502, failure.code, failure.message);
  }
}

export const GET = forward;
export const POST = forward;

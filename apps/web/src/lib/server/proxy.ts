// Helpers of the route handlers that forward browser requests to the API.
import { cookies } from 'next/headers';
import { TOKEN_COOKIE } from './config.js';

/** Returns the API token of the request's session cookie, or null. */
export async function sessionToken(): Promise<string | null> {
  return (await cookies()).get(TOKEN_COOKIE)?.value ?? null;
}

/**
 * Whether a state-changing request comes from a page of this dashboard. Browsers send `Origin`
 * on cross-site POSTs, so a request whose Origin names another host is rejected even though the
 * SameSite=Lax session cookie would already be left off it.
 */
export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** A GraphQL error reply made by the dashboard itself, in the API's format. */
export function graphqlError(status: number, code: string, message: string): Response {
  return Response.json({ errors: [{ message, extensions: { code } }] }, { status });
}

/** A REST error reply made by the dashboard itself, in the API's format. */
export function restError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/** Response headers of the API that are passed on to the browser. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'content-length', 'cache-control'];

/** Copies the status, the body stream and the forwarded headers of an API response. */
export function relay(upstream: Response): Response {
  const headers = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}

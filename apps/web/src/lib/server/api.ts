// Server-side access to the API for server components and server actions. The token comes from
// the httpOnly session cookie and never reaches the browser's JavaScript.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { ApiError, errorOfReply, toErrorInfo, type ApiErrorInfo, type GraphqlBody } from '../api-error.js';
import type { Document } from '../document.js';
import { apiUrl, ROLE_COOKIE, TOKEN_COOKIE } from './config.js';

/** The signed-in user: the API token and its role. */
export interface Session {
  token: string;
  role: 'EDITOR' | 'READER';
}

/** Result of {@link load}: the data, or the API's error to show in the page. */
export type Loaded<T> = { ok: true; data: T } | { ok: false; error: ApiErrorInfo };

/** Returns the session of the request, or null when no token cookie is set. */
export async function readSession(): Promise<Session | null> {
  const jar = await cookies();
  const token = jar.get(TOKEN_COOKIE)?.value;
  if (!token) return null;
  return { token, role: jar.get(ROLE_COOKIE)?.value === 'EDITOR' ? 'EDITOR' : 'READER' };
}

/** Returns the session, or redirects to the sign-in page when there is none. */
export async function requireSession(): Promise<Session> {
  const session = await readSession();
  if (!session) redirect('/sign-in');
  return session;
}

/** Describes a failed connection to the API, for example ECONNREFUSED. */
export function unreachable(error: unknown): ApiError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new ApiError(
    `The API at ${apiUrl()} cannot be reached (${reason}). Check that it runs and that AKD_API_URL points at it.`,
    'NETWORK',
    503,
  );
}

/**
 * Runs a GraphQL operation against the API with `token`.
 *
 * @throws ApiError with the API's message and code, or code NETWORK when the API cannot be reached.
 */
export async function executeGraphql<R, V>(
  token: string | null,
  document: Document<R, V>,
  variables: V,
): Promise<R> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
      cache: 'no-store',
    });
  } catch (error) {
    throw unreachable(error);
  }
  const body = (await response.json().catch(() => null)) as GraphqlBody<R> | null;
  const error = errorOfReply(response.status, body);
  if (error) throw error;
  return body!.data as R;
}

/**
 * Runs a GraphQL operation for a server component. Without a session it redirects to sign-in,
 * and when the API no longer accepts the token (expired or revoked) it ends the session, so the
 * sign-in page can show why. Other errors are returned for the page to show.
 */
export async function load<R, V>(document: Document<R, V>, variables: V): Promise<Loaded<R>> {
  const session = await requireSession();
  let failure: ApiError;
  try {
    return { ok: true, data: await executeGraphql(session.token, document, variables) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    failure = error;
  }
  if (failure.unauthenticated) redirect('/sign-out?reason=expired');
  return { ok: false, error: toErrorInfo(failure) };
}

/** Jobs of one queue that wait and that run, as GET /health reports them. */
export interface QueueDepth {
  queued: number;
  active: number;
}

/** Body of the API's GET /health. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  queueDepth: number | null;
  queues: Record<string, QueueDepth> | null;
}

/** Reads GET /health of the API, which needs no token; returns the error to show when it fails. */
export async function loadHealth(): Promise<Loaded<HealthReport>> {
  try {
    const response = await fetch(`${apiUrl()}/health`, { cache: 'no-store' });
    const body = (await response.json().catch(() => null)) as HealthReport | null;
    if (!body) {
      return {
        ok: false,
        error: {
          message: `GET /health replied with HTTP ${response.status}.`,
          code: 'INTERNAL',
          status: response.status,
        },
      };
    }
    return { ok: true, data: body };
  } catch (error) {
    return { ok: false, error: toErrorInfo(unreachable(error)) };
  }
}

// Browser-side GraphQL calls. They go to the dashboard's own /graphql route, which adds the token
// from the httpOnly session cookie and forwards them to the API.
import { ApiError, errorOfReply, type GraphqlBody } from './api-error.js';
import type { Document } from './document.js';

/** Sends the browser to the sign-in page with the message that the session ended. */
export function endSession(): void {
  window.location.assign('/sign-out?reason=expired');
}

/**
 * Runs a GraphQL operation through the dashboard's /graphql proxy.
 *
 * @throws ApiError with the API's message and code. When the API no longer accepts the token, it
 *   also sends the browser to the sign-in page.
 */
export async function request<R, V>(document: Document<R, V>, variables: V): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch (error) {
    throw new ApiError(
      `The dashboard server cannot be reached (${(error as Error).message}). Check the connection and reload the page.`,
      'NETWORK',
      0,
    );
  }
  const body = (await response.json().catch(() => null)) as GraphqlBody<R> | null;
  const error = errorOfReply(response.status, body);
  if (error) {
    if (error.unauthenticated) endSession();
    throw error;
  }
  return body!.data as R;
}

/** Returns the message to show for any error thrown by {@link request} or a REST call. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

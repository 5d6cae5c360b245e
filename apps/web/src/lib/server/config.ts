// Settings of the dashboard's server, read from the environment.

/** Base URL of the AKD Studio API (AKD_API_URL), without a trailing slash. */
export function apiUrl(): string {
  return (process.env.AKD_API_URL?.trim() || 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

/** WebSocket URL of the API's GraphQL endpoint, derived from {@link apiUrl}. */
export function apiWebSocketUrl(): string {
  return `${apiUrl().replace(/^http/, 'ws')}/graphql`;
}

/** Name of the httpOnly cookie that contains the API token. */
export const TOKEN_COOKIE = 'akd_token';

/** Name of the httpOnly cookie that contains the token's role (EDITOR or READER), used to hide edit controls. */
export const ROLE_COOKIE = 'akd_role';

/** Lifetime of the session cookies in seconds (30 days); revoking the token ends the session earlier. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

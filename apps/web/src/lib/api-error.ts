// Errors of the AKD Studio API as the dashboard shows them. The API sends a user-safe message and
// a code in `extensions.code` (BAD_USER_INPUT, NOT_FOUND, CONFLICT, UNAUTHENTICATED, FORBIDDEN...),
// and REST replies `{ "error": { "code", "message" } }`.

/** One GraphQL error as the API sends it. */
export interface GraphqlErrorBody {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A GraphQL response body. */
export interface GraphqlBody<T> {
  data?: T | null;
  errors?: GraphqlErrorBody[];
}

/** A failed API call: the API's message and code, and the HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** GraphQL `extensions.code`, such as BAD_USER_INPUT; NETWORK when the API could not be reached. */
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Whether the token is missing, unknown or revoked. */
  get unauthenticated(): boolean {
    return this.code === 'UNAUTHENTICATED' || this.status === 401;
  }
}

/** The plain form of an {@link ApiError}, which server components pass to client components. */
export interface ApiErrorInfo {
  message: string;
  code: string;
  status: number;
}

/** Returns the plain form of `error`. */
export function toErrorInfo(error: ApiError): ApiErrorInfo {
  return { message: error.message, code: error.code, status: error.status };
}

/**
 * Returns the error of a GraphQL reply, or null when it has data and no error. Several errors are
 * joined into one message, because the API reports one cause per error.
 */
export function errorOfReply<T>(status: number, body: GraphqlBody<T> | null): ApiError | null {
  if (body === null)
    return new ApiError(
      `The API replied with HTTP ${status} and no GraphQL body.`,
      'INTERNAL_SERVER_ERROR',
      status,
    );
  const errors = body.errors ?? [];
  if (errors.length === 0) {
    if (body.data) return null;
    return new ApiError(`The API replied with HTTP ${status} and no data.`, 'INTERNAL_SERVER_ERROR', status);
  }
  const message = [...new Set(errors.map((error) => error.message))].join(' ');
  const code = errors.find((error) => error.extensions?.code)?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  return new ApiError(message, code, status);
}

/** Reads the message of a REST error body, or describes the status when the body has none. */
export function restErrorMessage(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  if (error?.message) return new ApiError(error.message, error.code ?? 'INTERNAL', status);
  return new ApiError(
    `The API replied with HTTP ${status}.`,
    status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL',
    status,
  );
}

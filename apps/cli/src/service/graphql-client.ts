import { AkdError, type AkdErrorCode } from '@akd/core';

/** AkdError code of each GraphQL `extensions.code` that the API sends. */
const CODES: Record<string, AkdErrorCode> = {
  BAD_USER_INPUT: 'INVALID_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'INVALID_INPUT',
  QUERY_TOO_COMPLEX: 'INVALID_INPUT',
  INVALID_FILE: 'INVALID_FILE',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  UNAVAILABLE: 'UNAVAILABLE',
};

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Sends GraphQL operations over HTTP to the AKD Studio API with a bearer token. */
export class GraphqlClient {
  /** GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
  ) {
    this.endpoint = `${baseUrl}/graphql`;
  }

  /**
   * Runs `query` with `variables` and returns its `data`. Throws AkdError with the first error's
   * message and the code that matches its `extensions.code` (UNAVAILABLE when the API cannot be
   * reached, INTERNAL for anything else).
   */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new AkdError(
        'UNAVAILABLE',
        `Cannot reach the API at ${this.endpoint}: ${(error as Error).message}.`,
        {},
        { cause: error },
      );
    }
    const text = await response.text();
    let body: GraphqlBody;
    try {
      body = JSON.parse(text) as GraphqlBody;
    } catch {
      throw new AkdError(
        'INTERNAL',
        `The API at ${this.endpoint} replied ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      );
    }
    const error = body.errors?.[0];
    if (error) {
      const code = CODES[error.extensions?.code ?? ''] ?? 'INTERNAL';
      throw new AkdError(code, error.message, {
        graphqlCode: error.extensions?.code,
        status: response.status,
      });
    }
    if (!body.data) {
      throw new AkdError('INTERNAL', `The API at ${this.endpoint} replied ${response.status} without data.`);
    }
    return body.data as T;
  }
}

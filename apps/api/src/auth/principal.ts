import type { Request } from 'express';
import { ApiRoleValue } from '../common/enums.js';

/** The API token behind a request. */
export interface Principal {
  tokenId: string;
  name: string;
  role: ApiRoleValue;
}

/** An Express request, with the principal cached after the first lookup. */
export interface ApiRequest extends Request {
  principalLookup?: Promise<Principal | null>;
}

/** Context value of a GraphQL operation sent over HTTP. */
export interface HttpGraphqlContext {
  transport: 'http';
  req: ApiRequest;
}

/** Context value of a GraphQL operation sent over a graphql-ws WebSocket. */
export interface SocketGraphqlContext {
  transport: 'ws';
  /** Principal authenticated when the socket connected; null for an anonymous public reader. */
  principal: Principal | null;
}

/** Context value of every GraphQL operation. */
export type GraphqlContext = HttpGraphqlContext | SocketGraphqlContext;

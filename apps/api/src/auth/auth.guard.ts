import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { AkdError } from '@akd/core';
import type { ApiConfig } from '../config.js';
import { API_CONFIG } from '../tokens.js';
import { ApiRoleValue } from '../common/enums.js';
import { ACCESS_METADATA, type AccessLevel } from './access.decorator.js';
import { AuthService } from './auth.service.js';
import type { ApiRequest, GraphqlContext, Principal } from './principal.js';

/**
 * Global guard of REST handlers and GraphQL root fields. It resolves the bearer token (an invalid
 * or revoked one fails with 401 even where no token is needed) and checks the handler's
 * {@link AccessLevel}: 401 without a required token, 403 for a reader on an editor handler.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level =
      this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'read';
    if (level === 'public') return true;

    const principal = await this.principalOf(context);
    if (principal === null) {
      if (level === 'read' && this.config.publicRead) return true;
      throw new AkdError(
        'UNAUTHENTICATED',
        'Missing API token: send "Authorization: Bearer <token>" (or connectionParams.authorization on a WebSocket).',
      );
    }
    if (level === 'editor' && principal.role !== ApiRoleValue.EDITOR) {
      throw new AkdError(
        'FORBIDDEN',
        `API token "${principal.name}" is read-only; this needs an editor token.`,
      );
    }
    return true;
  }

  private principalOf(context: ExecutionContext): Promise<Principal | null> {
    if (context.getType<GqlContextType>() === 'graphql') {
      const graphqlContext = GqlExecutionContext.create(context).getContext<GraphqlContext>();
      if (graphqlContext.transport === 'ws') return Promise.resolve(graphqlContext.principal);
      return this.auth.principalOf(graphqlContext.req);
    }
    return this.auth.principalOf(context.switchToHttp().getRequest<ApiRequest>());
  }
}

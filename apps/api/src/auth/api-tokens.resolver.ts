import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DeclareArgTypes } from '../common/arg-types.js';
import { Access } from './access.decorator.js';
import { AuthService } from './auth.service.js';
import { CreateApiTokenInput } from './dto/create-api-token.input.js';
import { ApiTokenModel, CreatedApiToken, toApiTokenModel } from './models/api-token.model.js';

@Resolver(() => ApiTokenModel)
@DeclareArgTypes()
export class ApiTokensResolver {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Query(() => [ApiTokenModel], {
    description: 'All API tokens, revoked ones included. Needs an editor token.',
  })
  @Access('editor')
  async apiTokens(): Promise<ApiTokenModel[]> {
    return (await this.auth.list()).map(toApiTokenModel);
  }

  @Mutation(() => CreatedApiToken, { description: 'Creates an API token and returns its secret once.' })
  @Access('editor')
  async createApiToken(
    @Args('input', { type: () => CreateApiTokenInput }) input: CreateApiTokenInput,
  ): Promise<CreatedApiToken> {
    const issued = await this.auth.issue(input.name, input.role);
    return { token: issued.token, apiToken: toApiTokenModel(issued.row) };
  }

  @Mutation(() => ApiTokenModel, {
    description: 'Revokes an API token; requests with it then fail with 401.',
  })
  @Access('editor')
  async revokeApiToken(@Args('id', { type: () => ID }) id: string): Promise<ApiTokenModel> {
    return toApiTokenModel(await this.auth.revoke(id));
  }
}

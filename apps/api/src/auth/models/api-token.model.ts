import { Field, ID, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type ApiToken } from '@akd/db';
import { ApiRoleValue } from '../../common/enums.js';

@ObjectType('ApiToken', {
  description: 'An API token. The token itself is shown only once, when it is created.',
})
export class ApiTokenModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Label chosen at creation, e.g. the person or CI job using it.' })
  name!: string;

  @Field(() => ApiRoleValue)
  role!: ApiRoleValue;

  @Field(() => Date, { nullable: true, description: 'Last use, recorded at most once a minute.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the token was revoked; null while it is valid.' })
  revokedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'A newly created API token.' })
export class CreatedApiToken {
  @Field(() => String, {
    description:
      'The secret to send as "Authorization: Bearer <token>". It is not stored and cannot be shown again.',
  })
  token!: string;

  @Field(() => ApiTokenModel)
  apiToken!: ApiTokenModel;
}

export function toApiTokenModel(row: ApiToken): ApiTokenModel {
  return {
    id: row.id,
    name: row.name,
    role: fromEnumKey(row.role) as ApiRoleValue,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
  };
}

import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsString, Length } from 'class-validator';
import { ApiRoleValue } from '../../common/enums.js';

@InputType()
export class CreateApiTokenInput {
  @Field(() => String, {
    description: 'Label for the token, e.g. the person or CI job using it (1-100 characters).',
  })
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => ApiRoleValue, {
    defaultValue: ApiRoleValue.READER,
    description: 'Role of the token; READER by default.',
  })
  @IsEnum(ApiRoleValue)
  role: ApiRoleValue = ApiRoleValue.READER;
}

import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { CandidateModel } from '../../experiments/models/candidate.model.js';

@ObjectType('LeaderboardEntry', {
  description: 'A completed candidate ranked against the candidates of other experiments.',
})
export class LeaderboardEntryModel {
  @Field(() => Int, { description: 'Position from 1, by proxy accuracy, then lower latency.' })
  rank!: number;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => String)
  experimentName!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Teacher of the experiment; null for a hard-label search.',
  })
  teacherId!: string | null;

  @Field(() => Float, { description: 'Proxy top-1 accuracy, a fraction in [0, 1].' })
  accuracy!: number;

  @Field(() => Float, { description: 'Latency in milliseconds.' })
  latencyMs!: number;

  @Field(() => CandidateModel)
  candidate!: CandidateModel;
}

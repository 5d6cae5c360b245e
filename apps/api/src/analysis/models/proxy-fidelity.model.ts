import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { DistillationMethodValue } from '../../common/enums.js';

@ObjectType('ProxyFidelityPair', { description: 'A candidate scored by the proxy task and trained in full.' })
export class ProxyFidelityPairModel {
  @Field(() => ID)
  candidateId!: string;

  @Field(() => ID, {
    description: 'The final model: of several, the one with the most epochs, the newest on a tie.',
  })
  trainedModelId!: string;

  @Field(() => Float, { description: 'Top-1 accuracy on mini-val after the proxy training, in [0, 1].' })
  proxyAccuracy!: number;

  @Field(() => Float, { description: 'Top-1 accuracy on the test split after the full training, in [0, 1].' })
  testAccuracy!: number;

  @Field(() => Int, { description: 'Epochs of the full training.' })
  epochs!: number;
}

@ObjectType('ProxyFidelity', {
  description:
    "How well the proxy task ranks candidates: Spearman's rank correlation between proxy accuracy and the test " +
    'accuracy after full training, over the candidates of one experiment that were trained in full.',
})
export class ProxyFidelityModel {
  @Field(() => ID)
  experimentId!: string;

  @Field(() => DistillationMethodValue, { description: 'Training method of the final models compared.' })
  method!: DistillationMethodValue;

  @Field(() => Int, { description: 'Number of pairs.' })
  n!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Spearman's rho in [-1, 1] with average ranks for ties; null when unavailableReason says why.",
  })
  spearman!: number | null;

  @Field(() => String, { nullable: true, description: 'Why spearman is null; null when it is a number.' })
  unavailableReason!: string | null;

  @Field(() => [ProxyFidelityPairModel], { description: 'The pairs, by decreasing proxy accuracy.' })
  pairs!: ProxyFidelityPairModel[];
}

import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsNumber, IsObject, IsOptional } from 'class-validator';
import type { FinalTrainingInput } from '@akd/runner';
import { JsonScalar } from '../../common/scalars.js';

@InputType({
  description:
    "Overrides of a final training's recipe; omitted fields take the method's defaults. The ranges are checked " +
    'before any model is recorded.',
})
export class FinalTrainingSettingsInput {
  @Field(() => Int, { nullable: true, description: 'Images per batch (at least 1); 64 by default.' })
  @IsOptional()
  @IsInt()
  batchSize?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Peak Adam learning rate, greater than 0, decayed by a cosine schedule; 0.004 by default.',
  })
  @IsOptional()
  @IsNumber()
  learningRate?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Seed of the initial weights and the batch order; the experiment's proxy seed by default.",
  })
  @IsOptional()
  @IsInt()
  seed?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Weight λ of the distillation term, in [0, 1]. Defaults: the experiment's KD settings for HINTON, TA and RCO, " +
      '1 for CC (Peng et al., ICCV 2019).',
  })
  @IsOptional()
  @IsNumber()
  lambda?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Softmax temperature τ, greater than 0. Defaults: the experiment's KD settings, 1 for CC.",
  })
  @IsOptional()
  @IsNumber()
  temperature?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'CC only: weight β of the correlation-congruence term, in [0, 1]; 0.003 by default.',
  })
  @IsOptional()
  @IsNumber()
  beta?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'CC only: width γ of the Gaussian RBF kernel, greater than 0; 0.4 by default.',
  })
  @IsOptional()
  @IsNumber()
  gamma?: number | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description:
      "TA only: genome of the teacher assistant in the experiment's search space, with more parameters than each " +
      "student and at most the teacher's. By default a wider or deeper variant of each student is chosen, the one " +
      "closest in size to the geometric mean of the student's and the teacher's parameter counts.",
  })
  @IsOptional()
  @IsObject()
  assistantGenome?: Record<string, unknown> | null;

  @Field(() => Int, {
    nullable: true,
    description: 'TA only: epochs of the teacher → assistant hop (at least 1); the final epochs by default.',
  })
  @IsOptional()
  @IsInt()
  assistantEpochs?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "RCO only: teacher checkpoints on the route, the final one included, picked at equal epoch intervals; at most the teacher's " +
      'checkpoints and the epochs. By default all checkpoints, at most one per epoch.',
  })
  @IsOptional()
  @IsInt()
  routeAnchors?: number | null;
}

/** Returns the overrides of `input` without its unset fields. */
export function toFinalTrainingInput(
  input: FinalTrainingSettingsInput | null | undefined,
): FinalTrainingInput {
  if (!input) return {};
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== null && value !== undefined),
  ) as FinalTrainingInput;
}

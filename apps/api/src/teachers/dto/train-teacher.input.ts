import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_TEACHER_TRAINING } from '@akd/teachers';

/** Architectures of the teacher zoo in `@akd/teachers`. */
export enum ZooArchitectureValue {
  RESNET = 'resnet',
  VGG = 'vgg',
  MOBILENETV2 = 'mobilenetv2',
  DENSENET = 'densenet',
  INCEPTION = 'inception',
  WIDE_SHALLOW = 'wide-shallow',
}

registerEnumType(ZooArchitectureValue, {
  name: 'ZooArchitecture',
  description:
    'RESNET: residual blocks. VGG: plain stacked convolutions. MOBILENETV2: inverted residual blocks. ' +
    'DENSENET: densely connected blocks. INCEPTION: parallel multi-branch modules. ' +
    'WIDE_SHALLOW: few wide layers with large kernels.',
});

@InputType({ description: 'Training recipe of a zoo teacher.' })
export class TeacherTrainingInput {
  @Field(() => Int, {
    defaultValue: DEFAULT_TEACHER_TRAINING.epochs,
    description: 'Epochs over the training split (1-500).',
  })
  @IsInt()
  @Min(1)
  @Max(500)
  epochs: number = DEFAULT_TEACHER_TRAINING.epochs;

  @Field(() => Int, {
    defaultValue: DEFAULT_TEACHER_TRAINING.batchSize,
    description: 'Images per batch (1-4096).',
  })
  @IsInt()
  @Min(1)
  @Max(4096)
  batchSize: number = DEFAULT_TEACHER_TRAINING.batchSize;

  @Field(() => Float, {
    defaultValue: DEFAULT_TEACHER_TRAINING.learningRate,
    description: 'Peak Adam learning rate, decayed by a cosine schedule; between 0 and 1.',
  })
  @IsNumber()
  @Min(1e-8)
  @Max(1)
  learningRate: number = DEFAULT_TEACHER_TRAINING.learningRate;

  @Field(() => Int, {
    defaultValue: DEFAULT_TEACHER_TRAINING.seed,
    description: 'Seed of the initial weights and batch order.',
  })
  @IsInt()
  seed: number = DEFAULT_TEACHER_TRAINING.seed;
}

@InputType()
export class TrainTeacherInput {
  @Field(() => ID)
  @IsString()
  datasetId!: string;

  @Field(() => ZooArchitectureValue)
  @IsEnum(ZooArchitectureValue)
  architecture!: ZooArchitectureValue;

  @Field(() => String, {
    nullable: true,
    description:
      'Teacher name, unique within the dataset (1-100 characters); the architecture name by default.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @Field(() => TeacherTrainingInput, {
    nullable: true,
    description: 'Training recipe; each field has a default.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TeacherTrainingInput)
  training?: TeacherTrainingInput;
}

@InputType()
export class CreateEnsembleTeacherInput {
  @Field(() => ID)
  @IsString()
  datasetId!: string;

  @Field(() => String, { description: 'Teacher name, unique within the dataset (1-100 characters).' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => [ID], { description: 'At least two distinct ready teachers of the same dataset.' })
  @IsString({ each: true })
  memberIds!: string[];
}

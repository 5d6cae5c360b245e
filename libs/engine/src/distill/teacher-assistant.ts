/**
 * Teacher-assistant knowledge distillation (TA-KD) from Mirzadeh et al., "Improved Knowledge
 * Distillation via Teacher Assistant", AAAI 2020. When the teacher is much larger than the
 * student, a mid-sized assistant is distilled from the teacher first and the student is then
 * distilled from the assistant. Each hop is Hinton KD.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { validateHintonSettings, type HintonSettings } from '../train/losses.js';
import { trainModel, type BatchSource, type TrainResult } from '../train/trainer.js';
import { predictRowLogits, type RowImages } from './features.js';

/**
 * Settings of one distillation hop. Mirzadeh et al. tune λ and τ per hop (their search space is
 * λ ∈ [0.05, 1] and τ ∈ {1, 2, 5, 10, 15, 20}), so this module has no default for them.
 */
export interface DistillationHop extends HintonSettings {
  epochs: number;
  /** Peak Adam learning rate, decayed by a cosine schedule over the hop. */
  learningRate: number;
}

/** Inputs of {@link distillThroughAssistant}. */
export interface TeacherAssistantOptions {
  /** Untrained assistant, trained in place. It must not have more parameters than the teacher. */
  assistant: tfl.LayersModel;
  /** Untrained student, trained in place. It must not have more parameters than the assistant. */
  student: tfl.LayersModel;
  /** Cached teacher logits, row-major over the rows of `rows`. */
  teacherLogits: Float32Array;
  numClasses: number;
  /** Parameter count of the teacher that produced `teacherLogits`. */
  teacherParams: number;
  /** Training batches, whose `rows` index the logits matrices. */
  data: BatchSource;
  /** Batch size of `data`. */
  batchSize: number;
  /** Images of the logits rows, on which the trained assistant's logits are computed. */
  rows: RowImages;
  assistantHop: DistillationHop;
  studentHop: DistillationHop;
  onStep?: (hop: 'assistant' | 'student', step: number, totalSteps: number) => void;
  signal?: AbortSignal;
}

/** Outcome of {@link distillThroughAssistant}. */
export interface TeacherAssistantResult {
  assistant: TrainResult;
  student: TrainResult;
  /** Logits of the trained assistant over the rows, the targets of the student hop. */
  assistantLogits: Float32Array;
}

/**
 * Trains `assistant` from the teacher's cached logits, computes the trained assistant's logits
 * over `rows` in inference mode, then trains `student` from those logits. Every input is checked
 * before any training, and INVALID_INPUT is thrown for an assistant with more parameters than the
 * teacher, a student with more parameters than the assistant, invalid hop settings, or logits that
 * do not match the rows.
 */
export async function distillThroughAssistant(
  options: TeacherAssistantOptions,
): Promise<TeacherAssistantResult> {
  validateTeacherAssistant(options);
  const { assistant, student, data, batchSize, numClasses, assistantHop, studentHop } = options;

  const assistantResult = await trainModel(assistant, data, {
    epochs: assistantHop.epochs,
    batchSize,
    learningRate: assistantHop.learningRate,
    loss: { kind: 'hinton', teacherLogits: options.teacherLogits, numClasses, ...hintonOf(assistantHop) },
    onStep: (step, total) => options.onStep?.('assistant', step, total),
    signal: options.signal,
  });
  const assistantLogits = predictRowLogits(assistant, options.rows);

  const studentResult = await trainModel(student, data, {
    epochs: studentHop.epochs,
    batchSize,
    learningRate: studentHop.learningRate,
    loss: { kind: 'hinton', teacherLogits: assistantLogits, numClasses, ...hintonOf(studentHop) },
    onStep: (step, total) => options.onStep?.('student', step, total),
    signal: options.signal,
  });
  return { assistant: assistantResult, student: studentResult, assistantLogits };
}

/** Throws INVALID_INPUT, naming the value, unless {@link distillThroughAssistant} can run `options`. */
export function validateTeacherAssistant(options: TeacherAssistantOptions): void {
  const { assistant, student, teacherParams, teacherLogits, numClasses, rows } = options;
  if (!Number.isInteger(teacherParams) || teacherParams < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid teacher parameter count ${teacherParams}: use the teacher's countParams(), a whole number of at least 1.`,
      { teacherParams },
    );
  }
  const assistantParams = assistant.countParams();
  if (assistantParams > teacherParams) {
    throw new AkdError(
      'INVALID_INPUT',
      `The teacher assistant has ${assistantParams} parameters, more than the teacher's ${teacherParams}: choose an assistant between the student and the teacher in size.`,
      { assistantParams, teacherParams },
    );
  }
  const studentParams = student.countParams();
  if (studentParams > assistantParams) {
    throw new AkdError(
      'INVALID_INPUT',
      `The student has ${studentParams} parameters, more than the teacher assistant's ${assistantParams}: choose an assistant between the student and the teacher in size.`,
      { studentParams, assistantParams },
    );
  }
  for (const [name, model] of [
    ['assistant', assistant],
    ['student', student],
  ] as const) {
    const outputs = model.outputs[0].shape[1];
    if (model.outputs.length !== 1 || outputs !== numClasses) {
      throw new AkdError(
        'INVALID_INPUT',
        `The ${name} outputs ${outputs} logits but the teacher has ${numClasses} classes.`,
        { model: name, outputs, numClasses },
      );
    }
  }
  if (teacherLogits.length !== rows.indices.length * numClasses) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher logits have ${teacherLogits.length} values but ${rows.indices.length} rows of ${numClasses} classes need ${rows.indices.length * numClasses}.`,
      { length: teacherLogits.length, rows: rows.indices.length, numClasses },
    );
  }
  validateHop('assistant', options.assistantHop);
  validateHop('student', options.studentHop);
}

function validateHop(name: 'assistant' | 'student', hop: DistillationHop): void {
  validateHintonSettings(hop);
  if (!Number.isInteger(hop.epochs) || hop.epochs < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${name} epochs ${hop.epochs}: use a whole number of at least 1.`,
      {
        hop: name,
        epochs: hop.epochs,
      },
    );
  }
  if (!(hop.learningRate > 0)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${name} learning rate ${hop.learningRate}: it must be greater than 0.`,
      { hop: name, learningRate: hop.learningRate },
    );
  }
}

function hintonOf(hop: DistillationHop): HintonSettings {
  return { lambda: hop.lambda, temperature: hop.temperature };
}

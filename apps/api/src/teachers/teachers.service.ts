import { Inject, Injectable } from '@nestjs/common';
import { AkdError, Logger } from '@akd/core';
import type { Dataset, Teacher } from '@akd/db';
import { zooTeacher } from '@akd/teachers';
import { checkId } from '../common/ids.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { JOB_QUEUE } from '../tokens.js';
import {
  CreateEnsembleTeacherInput,
  TeacherTrainingInput,
  TrainTeacherInput,
} from './dto/train-teacher.input.js';
import { TeachersRepository } from './teachers.repository.js';

@Injectable()
export class TeachersService {
  private readonly log = new Logger('api.teachers');

  constructor(
    @Inject(TeachersRepository) private readonly teachers: TeachersRepository,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  list(datasetId: string | undefined): Promise<Teacher[]> {
    return this.teachers.list(datasetId === undefined ? undefined : checkId(datasetId, 'dataset'));
  }

  find(id: string): Promise<Teacher | null> {
    return this.teachers.findById(checkId(id, 'teacher'));
  }

  async get(id: string): Promise<Teacher> {
    const row = await this.find(id);
    if (!row)
      throw new AkdError('NOT_FOUND', `Teacher ${id} does not exist. The teachers query lists the teachers.`);
    return row;
  }

  /** Returns the teachers with these ids, in the order given, skipping unknown ids. */
  async findMany(ids: readonly string[]): Promise<Teacher[]> {
    const rows = await this.teachers.findByIds(ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Records a zoo teacher as pending and queues its training. A failed teacher of the same name
   * is trained again with the new recipe; any other existing teacher of that name is a CONFLICT.
   */
  async train(input: TrainTeacherInput): Promise<Teacher> {
    const dataset = await this.datasets.get(input.datasetId);
    const zoo = zooTeacher(input.architecture);
    const name = input.name ?? zoo.name;
    const training = { ...(input.training ?? new TeacherTrainingInput()) };
    const existing = await this.teachers.findByName(dataset.id, name);
    if (existing && existing.status !== 'failed') {
      throw new AkdError(
        'CONFLICT',
        `Teacher "${name}" already exists on dataset ${dataset.name} (status ${existing.status}). Choose another name.`,
        { teacherId: existing.id },
      );
    }
    const row = existing
      ? await this.teachers.update(existing.id, {
          family: zoo.family,
          config: { description: zoo.description },
          trainingSettings: training,
          status: 'pending',
          error: null,
        })
      : await this.teachers.create({
          datasetId: dataset.id,
          name,
          source: 'zoo',
          family: zoo.family,
          config: { description: zoo.description },
          trainingSettings: training,
          status: 'pending',
        });
    await this.enqueueOrUndo(row, existing === null);
    return row;
  }

  /**
   * Records an ensemble of at least two distinct, ready teachers of one dataset, and queues the
   * job that evaluates it. Its parameter and FLOP counts are the sums over the members.
   */
  async createEnsemble(input: CreateEnsembleTeacherInput): Promise<Teacher> {
    const dataset = await this.datasets.get(input.datasetId);
    const ids = input.memberIds.map((id) => checkId(id, 'member teacher'));
    const members = await this.readyMembers(dataset, ids);
    if (await this.teachers.findByName(dataset.id, input.name)) {
      throw new AkdError(
        'CONFLICT',
        `Teacher "${input.name}" already exists on dataset ${dataset.name}. Choose another name.`,
      );
    }

    const sum = (values: (bigint | null)[]): bigint | null =>
      values.every((value) => value !== null)
        ? values.reduce<bigint>((total, value) => total + (value ?? 0n), 0n)
        : null;
    const row = await this.teachers.create({
      datasetId: dataset.id,
      name: input.name,
      source: 'ensemble',
      family: 'ensemble',
      config: {
        members: members.map((member) => ({ id: member.id, name: member.name, family: member.family })),
      },
      trainingSettings: {},
      members: ids,
      params: sum(members.map((member) => member.params)),
      flops: sum(members.map((member) => member.flops)),
      status: 'pending',
    });
    await this.enqueueOrUndo(row, true);
    return row;
  }

  /**
   * Returns the member teachers in the order of `ids`. Throws INVALID_INPUT for fewer than two or
   * repeated members, members of another dataset or members that are not ready, and NOT_FOUND
   * for unknown members.
   */
  private async readyMembers(dataset: Dataset, ids: string[]): Promise<Teacher[]> {
    if (new Set(ids).size !== ids.length) {
      throw new AkdError('INVALID_INPUT', 'An ensemble lists a member teacher twice: give each member once.');
    }
    if (ids.length < 2) {
      throw new AkdError('INVALID_INPUT', `An ensemble needs at least 2 member teachers, got ${ids.length}.`);
    }
    const members = await this.findMany(ids);
    const missing = ids.filter((id) => !members.some((member) => member.id === id));
    if (missing.length > 0) {
      throw new AkdError('NOT_FOUND', `Member teacher(s) ${missing.join(', ')} do not exist.`, { missing });
    }

    for (const member of members) {
      if (member.datasetId !== dataset.id) {
        throw new AkdError(
          'INVALID_INPUT',
          `Member teacher "${member.name}" belongs to another dataset than ${dataset.name}. An ensemble needs teachers of one dataset.`,
          { teacherId: member.id },
        );
      }
      if (member.status !== 'ready') {
        throw new AkdError(
          'INVALID_INPUT',
          `Member teacher "${member.name}" is not ready (status ${member.status}).`,
          {
            teacherId: member.id,
          },
        );
      }
    }
    return members;
  }

  /** Queues the teacher job; when that fails, removes a new row or marks an old one failed. */
  private async enqueueOrUndo(row: Teacher, created: boolean): Promise<void> {
    try {
      await this.queue.enqueueTeacherTraining(row.id);
    } catch (error) {
      this.log.error('could not queue teacher training', { teacherId: row.id, error });
      if (created) await this.teachers.delete(row.id);
      else
        await this.teachers.update(row.id, {
          status: 'failed',
          error: 'The training job could not be queued.',
        });
      throw new AkdError(
        'UNAVAILABLE',
        'The job queue is unavailable, so the teacher was not queued. Try again later.',
        {},
        { cause: error },
      );
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AkdError } from '@akd/core';
import type { StudyCellView, StudyKindName, StudyStatusName, StudyView } from '@akd/runner';
import { checkId } from '../common/ids.js';
import { checkPageSize, decodeCursor, toPage, type Page } from '../common/pagination.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { JOB_QUEUE } from '../tokens.js';
import type {
  CreateAblationStudyInput,
  CreateKdFriendlinessStudyInput,
  CreateRankingStudyInput,
  CreateSimilarityStudyInput,
} from './dto/create-study.input.js';
import type { KdFriendlinessArgs, StudiesArgs } from './dto/studies.args.js';
import { StudiesRepository } from './studies.repository.js';
import {
  toAblationStudyInput,
  toKdFriendlinessStudyInput,
  toRankingStudyInput,
  toSimilarityStudyInput,
} from './study-inputs.js';

/**
 * Studies: the create methods validate, record the study with its cells in one transaction and
 * queue the cells, so a rejected input records and queues nothing.
 */
@Injectable()
export class StudiesService {
  constructor(
    @Inject(StudiesRepository) private readonly studies: StudiesRepository,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  createSimilarity(input: CreateSimilarityStudyInput): Promise<StudyView> {
    return this.studies.createSimilarity(this.queue, toSimilarityStudyInput(input));
  }

  createRanking(input: CreateRankingStudyInput): Promise<StudyView> {
    return this.studies.createRanking(this.queue, toRankingStudyInput(input));
  }

  createAblation(input: CreateAblationStudyInput): Promise<StudyView> {
    return this.studies.createAblation(this.queue, toAblationStudyInput(input));
  }

  createKdFriendliness(input: CreateKdFriendlinessStudyInput): Promise<StudyView> {
    return this.studies.createKdFriendliness(this.queue, toKdFriendlinessStudyInput(input));
  }

  find(id: string): Promise<StudyView | null> {
    return this.studies.findById(checkId(id, 'study'));
  }

  async get(id: string): Promise<StudyView> {
    const study = await this.find(id);
    if (!study)
      throw new AkdError('NOT_FOUND', `Study ${id} does not exist. The studies query lists the studies.`);
    return study;
  }

  /** Cancels the pending cells of a study; running cells finish. CONFLICT for a completed study. */
  async cancel(id: string): Promise<StudyView> {
    return this.studies.cancel((await this.get(id)).id);
  }

  /** Sets failed and cancelled cells pending again and queues every pending cell. */
  async resume(id: string): Promise<StudyView> {
    return this.studies.resume(this.queue, (await this.get(id)).id);
  }

  /** Returns one page of studies, newest first, and the number that match the filter. */
  async list(args: StudiesArgs): Promise<Page<StudyView> & { totalCount: number }> {
    checkPageSize(args.first);
    const filter = {
      datasetId: args.datasetId ? checkId(args.datasetId, 'dataset') : undefined,
      kind: (args.kind ?? undefined) as StudyKindName | undefined,
      status: (args.status ?? undefined) as StudyStatusName | undefined,
    };
    const afterId = args.after ? checkId(decodeCursor(args.after).id, 'cursor') : null;
    const [rows, totalCount] = await Promise.all([
      this.studies.list(filter, args.first + 1, afterId),
      this.studies.count(filter),
    ]);
    return { ...toPage(rows, args.first), totalCount };
  }

  /** Returns the cells of a study in key order, optionally only those in `status`. */
  async cells(studyId: string, status: StudyStatusName | null): Promise<StudyCellView[]> {
    const cells = await this.studies.cells(studyId);
    return status === null ? cells : cells.filter((cell) => cell.status === status);
  }

  /**
   * Returns the newest KD-friendliness study of the two searches that covers every generation in
   * `args.generations` (any study when it is not given), or null.
   */
  async kdFriendliness(args: KdFriendlinessArgs): Promise<StudyView | null> {
    const studies = await this.studies.kdFriendlinessStudies(
      checkId(args.akdExperimentId, 'AKD experiment'),
      checkId(args.nasExperimentId, 'NAS experiment'),
    );
    const wanted = args.generations ?? [];
    return (
      studies.find((study) => {
        const covered = study.config.kind === 'kd-friendliness' ? study.config.generations : [];
        return wanted.every((generation) => covered.includes(generation));
      }) ?? null
    );
  }
}

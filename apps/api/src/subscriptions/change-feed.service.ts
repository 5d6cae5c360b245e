import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AkdError, Logger } from '@akd/core';
import type { Candidate, Experiment } from '@akd/db';
import type { ApiConfig } from '../config.js';
import { API_CONFIG } from '../tokens.js';
import { AsyncQueue } from './async-queue.js';
import { ChangeFeedRepository } from './change-feed.repository.js';

/**
 * How far back each poll looks for finished candidates, in milliseconds. A candidate is reported
 * when its `updated_at` falls in this window, so a transaction that commits later than this after
 * setting `updated_at`, or a worker clock this far behind the API clock, makes an event go missing.
 */
export const CANDIDATE_LOOKBACK_MS = 30_000;

interface ExperimentChannel {
  queue: AsyncQueue<unknown>;
  toPayload: (row: Experiment) => unknown;
  lastUpdatedAt: number;
}

interface CandidateChannel {
  queue: AsyncQueue<unknown>;
  toPayload: (row: Candidate) => unknown;
  subscribedAt: number;
  /** `status@updatedAt` of each candidate already sent, so the overlapping polls send it once. */
  sent: Map<string, { key: string; updatedAt: number }>;
}

/**
 * Feeds the GraphQL subscriptions from Postgres. Workers run in other processes and write their
 * progress to the database, so every API process polls it every AKD_API_POLL_MS while it has
 * subscribers: experiments by id, comparing `updated_at`, and candidates of the watched
 * experiments that finished within the last {@link CANDIDATE_LOOKBACK_MS}. Any number of API and
 * worker processes work this way without triggers, LISTEN/NOTIFY or help from the workers.
 */
@Injectable()
export class ChangeFeedService implements OnModuleDestroy {
  private readonly log = new Logger('api.change-feed');
  private readonly experimentChannels = new Map<string, Set<ExperimentChannel>>();
  private readonly candidateChannels = new Map<string, Set<CandidateChannel>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failedPolls = 0;

  constructor(
    @Inject(ChangeFeedRepository) private readonly repository: ChangeFeedRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Returns an iterator of the experiment's payloads: the current state first, then the state
   * after every change. It ends when the experiment is deleted. Throws NOT_FOUND for unknown ids.
   */
  async watchExperiment<T>(id: string, toPayload: (row: Experiment) => T): Promise<AsyncIterableIterator<T>> {
    const [row] = await this.repository.experiments([id]);
    if (!row) throw new AkdError('NOT_FOUND', `Experiment ${id} does not exist.`);
    const channels = this.channelsOf(this.experimentChannels, id);
    const channel: ExperimentChannel = {
      queue: new AsyncQueue<unknown>(() => this.remove(this.experimentChannels, id, channel)),
      toPayload,
      lastUpdatedAt: row.updatedAt.getTime(),
    };
    channels.add(channel);
    channel.queue.push(toPayload(row));
    this.schedule();
    return channel.queue as AsyncIterableIterator<T>;
  }

  /**
   * Returns an iterator of the payloads of the experiment's candidates that complete or fail from
   * now on. A candidate that is retried and finishes again is sent again. Throws NOT_FOUND for
   * unknown experiments.
   */
  async watchCandidates<T>(
    experimentId: string,
    toPayload: (row: Candidate, experiment: Experiment) => T,
  ): Promise<AsyncIterableIterator<T>> {
    const [experiment] = await this.repository.experiments([experimentId]);
    if (!experiment) throw new AkdError('NOT_FOUND', `Experiment ${experimentId} does not exist.`);
    const channels = this.channelsOf(this.candidateChannels, experimentId);
    const channel: CandidateChannel = {
      queue: new AsyncQueue<unknown>(() => this.remove(this.candidateChannels, experimentId, channel)),
      toPayload: (row) => toPayload(row, experiment),
      subscribedAt: Date.now(),
      sent: new Map(),
    };
    channels.add(channel);
    this.schedule();
    return channel.queue as AsyncIterableIterator<T>;
  }

  /** Number of open subscriptions, for tests and metrics. */
  get subscriberCount(): number {
    let count = 0;
    for (const channels of [...this.experimentChannels.values(), ...this.candidateChannels.values()])
      count += channels.size;
    return count;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const channels of [...this.experimentChannels.values(), ...this.candidateChannels.values()]) {
      for (const channel of [...channels]) channel.queue.end();
    }
  }

  /** Reads the database once and pushes what changed to the subscribers. */
  async poll(): Promise<void> {
    await this.pollExperiments();
    await this.pollCandidates();
  }

  private async pollExperiments(): Promise<void> {
    const ids = [...this.experimentChannels.keys()];
    if (ids.length === 0) return;
    const rows = new Map((await this.repository.experiments(ids)).map((row) => [row.id, row]));
    for (const id of ids) {
      const row = rows.get(id);
      for (const channel of [...(this.experimentChannels.get(id) ?? [])]) {
        if (!row) {
          channel.queue.end();
        } else if (row.updatedAt.getTime() !== channel.lastUpdatedAt) {
          channel.lastUpdatedAt = row.updatedAt.getTime();
          channel.queue.push(channel.toPayload(row));
        }
      }
    }
  }

  private async pollCandidates(): Promise<void> {
    const ids = [...this.candidateChannels.keys()];
    if (ids.length === 0) return;
    const now = Date.now();
    const rows = await this.repository.finishedCandidates(ids, new Date(now - CANDIDATE_LOOKBACK_MS));
    for (const row of rows) {
      const updatedAt = row.updatedAt.getTime();
      const key = `${row.status}@${updatedAt}`;
      for (const channel of this.candidateChannels.get(row.experimentId) ?? []) {
        if (updatedAt < channel.subscribedAt || channel.sent.get(row.id)?.key === key) continue;
        channel.sent.set(row.id, { key, updatedAt });
        channel.queue.push(channel.toPayload(row));
      }
    }
    for (const channels of this.candidateChannels.values()) {
      for (const channel of channels) {
        for (const [id, entry] of channel.sent) {
          if (entry.updatedAt < now - 2 * CANDIDATE_LOOKBACK_MS) channel.sent.delete(id);
        }
      }
    }
  }

  private channelsOf<C>(map: Map<string, Set<C>>, id: string): Set<C> {
    let channels = map.get(id);
    if (!channels) {
      channels = new Set();
      map.set(id, channels);
    }
    return channels;
  }

  private remove<C>(map: Map<string, Set<C>>, id: string, channel: C): void {
    const channels = map.get(id);
    channels?.delete(channel);
    if (channels?.size === 0) map.delete(id);
  }

  private schedule(): void {
    if (this.stopped || this.timer !== null || this.subscriberCount === 0) return;
    this.timer = setTimeout(() => void this.tick(), this.config.pollIntervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.poll();
      if (this.failedPolls > 0)
        this.log.info('subscription poll recovered', { failedPolls: this.failedPolls });
      this.failedPolls = 0;
    } catch (error) {
      this.failedPolls++;
      // Log the first failure and then every 60th, so that a database outage does not flood the log.
      if (this.failedPolls === 1 || this.failedPolls % 60 === 0) {
        this.log.error('subscription poll failed; retrying', { error, failedPolls: this.failedPolls });
      }
    } finally {
      this.timer = null;
      this.schedule();
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Logger } from '@akd/core';
import { fromEnumKey } from '@akd/db';
import type { ApiConfig } from '../config.js';
import { CandidateStatusValue, ExperimentStatusValue } from '../common/enums.js';
import { totalDepth, type JobQueue, type QueueDepth } from '../jobs/job-queue.js';
import { API_CONFIG, JOB_QUEUE } from '../tokens.js';
import { HttpMetricsService } from './metrics.service.js';
import { ObservabilityRepository } from './observability.repository.js';

/** Body of GET /health. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  /** Jobs waiting or running over all queues; null when the queue could not be read. */
  queueDepth: number | null;
  /** The same per queue name; null when the queue could not be read. */
  queues: Record<string, QueueDepth> | null;
}

/** Appends the HELP and TYPE lines of a metric. */
function metric(lines: string[], name: string, type: 'gauge' | 'counter', help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

/** Returns the count of the rows whose status, spelled as stored in Postgres, is `status`. */
function countOf(counts: Map<string, number>, status: string): number {
  return [...counts].find(([key]) => fromEnumKey(key) === status)?.[1] ?? 0;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

@Injectable()
export class ObservabilityService {
  private readonly log = new Logger('api.health');

  constructor(
    @Inject(ObservabilityRepository) private readonly repository: ObservabilityRepository,
    @Inject(HttpMetricsService) private readonly httpMetrics: HttpMetricsService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Checks that the database responds and reads the queue depth. The status is `ok` only when both succeed. */
  async health(): Promise<HealthReport> {
    const database = await this.repository.ping().then(
      () => 'up' as const,
      (error: unknown) => {
        this.log.error('health check: database unreachable', { error });
        return 'down' as const;
      },
    );
    const queues = await this.queue.queueDepth().catch((error: unknown) => {
      this.log.error('health check: queue depth unreadable', { error });
      return null;
    });
    return {
      status: database === 'up' && queues !== null ? 'ok' : 'unavailable',
      database,
      queueDepth: queues === null ? null : totalDepth(queues),
      queues,
    };
  }

  /** Renders the metrics in the Prometheus text exposition format 0.0.4. */
  async prometheusText(): Promise<string> {
    const [experiments, candidates, queues, aliveWorkers, requestCounts] = await Promise.all([
      this.repository.experimentsByStatus(),
      this.repository.candidatesByStatus(),
      this.queue.queueDepth().catch(() => null),
      this.repository.countWorkersSince(new Date(Date.now() - this.config.workerTimeoutMs)),
      this.httpMetrics.groupSnapshot(),
    ]);
    const lines: string[] = [];

    metric(lines, 'akd_experiments', 'gauge', 'Experiments by status.');
    for (const status of Object.values(ExperimentStatusValue)) {
      lines.push(`akd_experiments{status="${status}"} ${countOf(experiments, status)}`);
    }

    metric(lines, 'akd_candidates', 'gauge', 'Candidates of all experiments by status.');
    for (const status of Object.values(CandidateStatusValue)) {
      lines.push(`akd_candidates{status="${status}"} ${countOf(candidates, status)}`);
    }
    metric(lines, 'akd_candidates_completed', 'gauge', 'Candidates whose evaluation completed.');
    lines.push(`akd_candidates_completed ${countOf(candidates, CandidateStatusValue.COMPLETED)}`);

    // Without a readable queue the queue series are left out, so that a scrape does not report 0 jobs.
    if (queues !== null) {
      metric(lines, 'akd_queue_depth', 'gauge', 'Jobs waiting or running over all queues.');
      lines.push(`akd_queue_depth ${totalDepth(queues)}`);
      metric(lines, 'akd_queue_jobs', 'gauge', 'Jobs per queue and state (queued or active).');
      for (const [name, depth] of Object.entries(queues)) {
        lines.push(`akd_queue_jobs{queue="${escapeLabel(name)}",state="queued"} ${depth.queued}`);
        lines.push(`akd_queue_jobs{queue="${escapeLabel(name)}",state="active"} ${depth.active}`);
      }
    }

    metric(lines, 'akd_workers_alive', 'gauge', 'Workers whose last heartbeat is recent.');
    lines.push(`akd_workers_alive ${aliveWorkers}`);

    metric(
      lines,
      'akd_http_requests_total',
      'counter',
      'HTTP requests served by the API processes of this process group.',
    );
    for (const entry of requestCounts) {
      const labels = `method="${escapeLabel(entry.method)}",route="${escapeLabel(entry.route)}",status="${entry.status}"`;
      lines.push(`akd_http_requests_total{${labels}} ${entry.count}`);
    }
    return lines.join('\n') + '\n';
  }
}

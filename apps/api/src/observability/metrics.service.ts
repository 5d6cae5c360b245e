import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { gatherFromGroup, respondToGather } from '../cluster/sibling-messages.js';

/** Count of finished HTTP requests with one method, route and status. */
export interface RequestCount {
  method: string;
  route: string;
  status: number;
  count: number;
}

/** Topic under which the API processes of a group report their request counts. */
const COUNTS_TOPIC = 'http-request-counts';

/** How long a scrape waits for the counts of the other API processes, in milliseconds. */
const GATHER_TIMEOUT_MS = 3000;

/** Counter of finished HTTP requests by method, route and status, kept in this process. */
@Injectable()
export class HttpMetricsService implements OnModuleDestroy {
  private readonly counts = new Map<string, RequestCount>();
  private readonly stopResponding = respondToGather(COUNTS_TOPIC, () => this.snapshot());

  record(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { method, route, status, count: 1 });
  }

  /** Returns the counts of this process. */
  snapshot(): RequestCount[] {
    return [...this.counts.values()].map((entry) => ({ ...entry }));
  }

  /**
   * Returns the counts summed over the API processes of this process group, or this process's
   * counts when it runs alone or the primary process does not reply.
   *
   * NOTE: a process that does not reply within the primary's wait (2 s) is left out of the sum,
   * so the scraped counter then drops for one scrape, which Prometheus reads as a counter reset.
   */
  async groupSnapshot(): Promise<RequestCount[]> {
    const reports = (await gatherFromGroup(COUNTS_TOPIC, GATHER_TIMEOUT_MS)) as RequestCount[][] | null;
    if (reports === null) return this.snapshot();
    const sums = new Map<string, RequestCount>();
    for (const entry of reports.flat()) {
      const key = `${entry.method} ${entry.route} ${entry.status}`;
      const sum = sums.get(key);
      if (sum) sum.count += entry.count;
      else sums.set(key, { ...entry });
    }
    return [...sums.values()];
  }

  onModuleDestroy(): void {
    this.stopResponding();
  }
}

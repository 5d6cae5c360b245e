import { Injectable } from '@nestjs/common';

/** Counter of finished HTTP requests by method, route and status, kept in this process. */
@Injectable()
export class HttpMetricsService {
  private readonly counts = new Map<
    string,
    { method: string; route: string; status: number; count: number }
  >();

  record(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { method, route, status, count: 1 });
  }

  snapshot(): { method: string; route: string; status: number; count: number }[] {
    return [...this.counts.values()].map((entry) => ({ ...entry }));
  }
}

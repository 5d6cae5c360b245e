import { Inject, Injectable } from '@nestjs/common';
import type { Candidate } from '@akd/db';
import { SqlReader } from '../common/sql-reader.js';
import { CANDIDATE_ROW } from '../common/sql-rows.js';

/** A candidate with the fields of its experiment that the leaderboard shows. */
export type RankedCandidate = Candidate & {
  experiment: { id: string; name: string; teacherId: string | null; searchSpace: unknown };
};

@Injectable()
export class LeaderboardRepository {
  constructor(@Inject(SqlReader) private readonly sql: SqlReader) {}

  /**
   * Returns completed candidates of the dataset's experiments, best proxy accuracy first, then
   * lower latency, then id. Postgres reads them in the order of the index on
   * `candidates(status, proxy_accuracy DESC, latency_ms, id)` and stops after `take` matches.
   */
  async rank(
    filter: { datasetId: string; teacherId: string | null; maxLatencyMs: number | null },
    take: number,
  ): Promise<RankedCandidate[]> {
    const values: unknown[] = [filter.datasetId];
    const conditions = [
      "c.status = 'completed'",
      'c.proxy_accuracy IS NOT NULL',
      'c.latency_ms IS NOT NULL',
      'e.dataset_id = $1',
    ];
    if (filter.teacherId !== null) {
      values.push(filter.teacherId);
      conditions.push(`e.teacher_id = $${values.length}`);
    }
    if (filter.maxLatencyMs !== null) {
      values.push(filter.maxLatencyMs);
      conditions.push(`c.latency_ms <= $${values.length}`);
    }
    values.push(take);
    // The search space goes out as text, so that each experiment's space is parsed once below
    // rather than once per row.
    const rows = await this.sql.query<Record<string, unknown>>(
      `SELECT ${CANDIDATE_ROW.select('c')}, e.name AS experiment_name, e.teacher_id AS experiment_teacher_id,
         e.search_space::text AS experiment_search_space
       FROM candidates c JOIN experiments e ON e.id = c.experiment_id
       WHERE ${conditions.join(' AND ')}
       ORDER BY c.proxy_accuracy DESC, c.latency_ms, c.id
       LIMIT $${values.length}`,
      values,
    );
    const spaces = new Map<string, unknown>();
    return rows.map((row) => {
      const candidate = CANDIDATE_ROW.read(row);
      let searchSpace = spaces.get(candidate.experimentId);
      if (searchSpace === undefined) {
        searchSpace = JSON.parse(row.experiment_search_space as string) as unknown;
        spaces.set(candidate.experimentId, searchSpace);
      }
      const experiment = {
        id: candidate.experimentId,
        name: row.experiment_name as string,
        teacherId: row.experiment_teacher_id as string | null,
        searchSpace,
      };
      return { ...candidate, experiment };
    });
  }
}

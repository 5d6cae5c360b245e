import { EmptyState, StatusBadge } from '../../components/feedback.js';
import { age, dateTime } from '../../lib/format.js';

/** Fields of a worker that the table shows. */
export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  backend: string;
  alive: boolean;
  heartbeatAt: string;
  startedAt?: string;
  currentJob?: unknown;
}

/** Describes a worker's current job ({ kind, id } from the API), or `idle`. */
export function describeJob(job: unknown): string {
  if (job === null || job === undefined) return 'idle';
  if (typeof job === 'object') {
    const { kind, id } = job as { kind?: unknown; id?: unknown };
    if (typeof kind === 'string') return typeof id === 'string' ? `${kind} ${id.slice(0, 8)}` : kind;
  }
  return JSON.stringify(job);
}

/** Workers with host, backend, heartbeat and current job; `now` makes the ages of one render agree. */
export function WorkersTable({ workers, now }: { workers: readonly WorkerRow[]; now: number }) {
  if (workers.length === 0) {
    return (
      <EmptyState title="No worker has registered">
        Start one with <code>npx tsx apps/worker/src/main.ts</code> and the API&apos;s DATABASE_URL; queued
        jobs wait until a worker runs.
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Backend</th>
            <th scope="col">State</th>
            <th scope="col">Heartbeat</th>
            <th scope="col">Current job</th>
            {workers[0].startedAt !== undefined && <th scope="col">Started</th>}
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <tr key={worker.id}>
              <td>
                {worker.host} <span className="help">pid {worker.pid}</span>
              </td>
              <td>{worker.backend}</td>
              <td>
                <StatusBadge
                  status={worker.alive ? 'READY' : 'FAILED'}
                  label={worker.alive ? 'alive' : 'no heartbeat'}
                />
              </td>
              <td title={dateTime(worker.heartbeatAt)}>{age(worker.heartbeatAt, now)}</td>
              <td className="mono">{describeJob(worker.currentJob)}</td>
              {worker.startedAt !== undefined && <td>{dateTime(worker.startedAt)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

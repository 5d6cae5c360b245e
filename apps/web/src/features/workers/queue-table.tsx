import type { HealthReport } from '../../lib/server/api.js';

/** Jobs waiting and running per queue (job kind), from the API's GET /health. */
export function QueueTable({ health }: { health: HealthReport }) {
  if (!health.queues) {
    return <p className="error">The API could not read the queue (database {health.database}).</p>;
  }
  const queues = Object.entries(health.queues).sort(([a], [b]) => a.localeCompare(b));
  return (
    <table className="data" aria-label="Queue depth per job kind">
      <thead>
        <tr>
          <th scope="col">Job kind</th>
          <th scope="col" className="num">
            Queued
          </th>
          <th scope="col" className="num">
            Running
          </th>
        </tr>
      </thead>
      <tbody>
        {queues.map(([name, depth]) => (
          <tr key={name}>
            <td>{name}</td>
            <td className="num">{depth.queued}</td>
            <td className="num">{depth.active}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">All</th>
          <td className="num" colSpan={2}>
            {health.queueDepth ?? '–'} waiting or running
          </td>
        </tr>
      </tbody>
    </table>
  );
}

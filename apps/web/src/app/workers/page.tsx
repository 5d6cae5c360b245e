import type { Metadata } from 'next';
import { ErrorBox } from '../../components/feedback.js';
import { AutoRefresh } from '../../components/auto-refresh.js';
import { QueueTable } from '../../features/workers/queue-table.js';
import { WorkersTable } from '../../features/workers/workers-table.js';
import { graphql } from '../../gql/index.js';
import { load, loadHealth } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Workers' };

const WorkersQuery = graphql(`
  query Workers {
    workers {
      id
      host
      pid
      backend
      alive
      heartbeatAt
      startedAt
      currentJob
    }
  }
`);

export default async function WorkersPage() {
  const [result, health] = await Promise.all([load(WorkersQuery, {}), loadHealth()]);
  return (
    <>
      <div className="page-head">
        <h1>Workers</h1>
        <div className="actions">
          <AutoRefresh seconds={5} />
        </div>
      </div>
      <section className="panel" aria-labelledby="workers-heading">
        <h2 id="workers-heading">Worker processes</h2>
        {result.ok ? (
          <WorkersTable workers={result.data.workers} now={Date.now()} />
        ) : (
          <ErrorBox error={result.error} title="Workers could not be loaded" />
        )}
        <p className="help">
          A worker is alive while its heartbeat is younger than AKD_WORKER_TIMEOUT_MS of the API (60 s by
          default).
        </p>
      </section>
      <section className="panel" aria-labelledby="queue-heading">
        <h2 id="queue-heading">Queue depth per job kind</h2>
        {health.ok ? (
          <QueueTable health={health.data} />
        ) : (
          <ErrorBox error={health.error} title="Queue depth unavailable" />
        )}
      </section>
    </>
  );
}

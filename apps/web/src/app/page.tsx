import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, ErrorBox, ProgressBar, StatusBadge } from '../components/feedback.js';
import { QueueTable } from '../features/workers/queue-table.js';
import { WorkersTable } from '../features/workers/workers-table.js';
import { graphql } from '../gql/index.js';
import { age, compact, enumLabel, ms, percent } from '../lib/format.js';
import { load, loadHealth, requireSession } from '../lib/server/api.js';

export const metadata: Metadata = { title: 'Overview' };

const OverviewQuery = graphql(`
  query Overview {
    experiments(first: 10) {
      totalCount
      edges {
        node {
          id
          name
          status
          searchBy
          strategy
          latencyTargetMs
          createdAt
          dataset {
            id
            name
          }
          teacher {
            id
            name
          }
          progress {
            budget
            completed
            failed
            inProgress
          }
          bestCandidates(k: 1) {
            id
            proxyAccuracy
            latencyMs
            reward
          }
        }
      }
    }
    teachers {
      id
      name
      family
      source
      status
      testAccuracy
      params
      dataset {
        id
        name
      }
    }
    workers {
      id
      host
      pid
      backend
      alive
      heartbeatAt
      currentJob
    }
  }
`);

export default async function OverviewPage() {
  const session = await requireSession();
  const [result, health] = await Promise.all([load(OverviewQuery, {}), loadHealth()]);
  if (!result.ok) return <ErrorBox error={result.error} title="The overview could not be loaded" />;
  const { experiments, teachers, workers } = result.data;
  const canEdit = session.role === 'EDITOR';

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        {canEdit && (
          <div className="actions">
            <Link href="/experiments/new" className="button primary">
              New experiment
            </Link>
          </div>
        )}
      </div>

      <section className="panel" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent experiments</h2>
        {experiments.edges.length === 0 ? (
          <EmptyState title="No experiments yet">
            {canEdit ? (
              <>
                <Link href="/experiments/new">Create an experiment</Link> to search for a student.
              </>
            ) : (
              'An editor can create one; this token is read-only.'
            )}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Teacher</th>
                  <th scope="col">Search by</th>
                  <th scope="col" className="num">
                    Best accuracy
                  </th>
                  <th scope="col" className="num">
                    Its latency
                  </th>
                  <th scope="col" className="num">
                    Target
                  </th>
                </tr>
              </thead>
              <tbody>
                {experiments.edges.map(({ node }) => {
                  const best = node.bestCandidates[0];
                  return (
                    <tr key={node.id}>
                      <td>
                        <Link href={`/experiments/${node.id}`}>{node.name}</Link>
                        <div className="help">{node.dataset.name}</div>
                      </td>
                      <td>
                        <StatusBadge status={node.status} />
                      </td>
                      <td>
                        <ProgressBar
                          value={node.progress.completed + node.progress.failed}
                          max={node.progress.budget}
                          label={`Candidates of ${node.name} evaluated`}
                        />
                      </td>
                      <td>{node.teacher ? node.teacher.name : 'none (GT)'}</td>
                      <td>{enumLabel(node.searchBy)}</td>
                      <td className="num">{percent(best?.proxyAccuracy)}</td>
                      <td className="num">{ms(best?.latencyMs)}</td>
                      <td className="num">{ms(node.latencyTargetMs)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {experiments.totalCount > experiments.edges.length && (
              <p className="help">
                Showing the newest {experiments.edges.length} of {experiments.totalCount}.{' '}
                <Link href="/experiments">All experiments</Link>
              </p>
            )}
          </div>
        )}
      </section>

      <div className="grid-2">
        <section className="panel" aria-labelledby="teachers-heading">
          <h2 id="teachers-heading">Teachers</h2>
          {teachers.length === 0 ? (
            <EmptyState title="No teachers yet">
              <Link href="/teachers">Train a zoo teacher or import one</Link>; a search by distillation needs
              a ready teacher.
            </EmptyState>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Test accuracy
                  </th>
                  <th scope="col" className="num">
                    Params
                  </th>
                </tr>
              </thead>
              <tbody>
                {teachers.map((teacher) => (
                  <tr key={teacher.id}>
                    <td>
                      <Link href={`/teachers/${teacher.id}`}>{teacher.name}</Link>
                      <div className="help">
                        {teacher.family}, {enumLabel(teacher.source)}
                      </div>
                    </td>
                    <td>{teacher.dataset.name}</td>
                    <td>
                      <StatusBadge status={teacher.status} />
                    </td>
                    <td className="num">{percent(teacher.testAccuracy)}</td>
                    <td className="num">{compact(teacher.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section className="panel" aria-labelledby="workers-heading">
          <h2 id="workers-heading">Workers</h2>
          <WorkersTable workers={workers} now={Date.now()} />
          <h3>Queue</h3>
          {health.ok ? (
            <QueueTable health={health.data} />
          ) : (
            <ErrorBox error={health.error} title="Queue depth unavailable" />
          )}
          <p className="help">
            Last heartbeat {workers.length > 0 ? age(workers[0].heartbeatAt) : 'never'}.{' '}
            <Link href="/workers">Workers page</Link>
          </p>
        </section>
      </div>
    </>
  );
}

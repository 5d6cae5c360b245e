import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, ErrorBox, ProgressBar, StatusBadge } from '../../components/feedback.js';
import { graphql } from '../../gql/index.js';
import type { ExperimentStatus } from '../../gql/graphql.js';
import { dateTime, enumLabel, ms, percent } from '../../lib/format.js';
import { load, requireSession } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Experiments' };

const ExperimentsQuery = graphql(`
  query Experiments($first: Int!, $after: String, $filter: ExperimentFilterInput) {
    experiments(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
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
          }
          bestCandidates(k: 1) {
            id
            proxyAccuracy
            latencyMs
          }
        }
      }
    }
  }
`);

const STATUSES: ExperimentStatus[] = [
  'QUEUED' as ExperimentStatus,
  'RUNNING' as ExperimentStatus,
  'PAUSED' as ExperimentStatus,
  'COMPLETED' as ExperimentStatus,
  'FAILED' as ExperimentStatus,
  'CANCELLED' as ExperimentStatus,
];

export default async function ExperimentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession();
  const params = await searchParams;
  const status = STATUSES.find((value) => value === params.status);
  const after = typeof params.after === 'string' ? params.after : null;
  const result = await load(ExperimentsQuery, {
    first: 25,
    after,
    filter: status ? { status: [status] } : null,
  });

  return (
    <>
      <div className="page-head">
        <h1>Experiments</h1>
        {session.role === 'EDITOR' && (
          <div className="actions">
            <Link href="/experiments/new" className="button primary">
              New experiment
            </Link>
          </div>
        )}
      </div>
      <form className="toolbar" method="get">
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={status ?? ''}>
            <option value="">Any</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {enumLabel(value)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {!result.ok ? (
        <ErrorBox error={result.error} title="Experiments could not be loaded" />
      ) : result.data.experiments.edges.length === 0 ? (
        <EmptyState title={status ? `No ${enumLabel(status)} experiments` : 'No experiments yet'}>
          {session.role === 'EDITOR' ? (
            <Link href="/experiments/new">Create an experiment</Link>
          ) : (
            'An editor can create one.'
          )}
        </EmptyState>
      ) : (
        <section className="panel">
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Teacher</th>
                  <th scope="col">Strategy</th>
                  <th scope="col" className="num">
                    Best accuracy
                  </th>
                  <th scope="col" className="num">
                    Its latency
                  </th>
                  <th scope="col" className="num">
                    Target
                  </th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {result.data.experiments.edges.map(({ node }) => (
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
                    <td>
                      {node.teacher ? (
                        <Link href={`/teachers/${node.teacher.id}`}>{node.teacher.name}</Link>
                      ) : (
                        'none (GT)'
                      )}
                    </td>
                    <td>
                      {enumLabel(node.strategy)}, by {enumLabel(node.searchBy)}
                    </td>
                    <td className="num">{percent(node.bestCandidates[0]?.proxyAccuracy)}</td>
                    <td className="num">{ms(node.bestCandidates[0]?.latencyMs)}</td>
                    <td className="num">{ms(node.latencyTargetMs)}</td>
                    <td>{dateTime(node.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages">
            <span className="help">{result.data.experiments.totalCount} experiments</span>
            {after && (
              <Link href={status ? `/experiments?status=${status}` : '/experiments'} className="button">
                First page
              </Link>
            )}
            {result.data.experiments.pageInfo.hasNextPage && result.data.experiments.pageInfo.endCursor && (
              <Link
                className="button"
                href={`/experiments?${new URLSearchParams({
                  ...(status ? { status } : {}),
                  after: result.data.experiments.pageInfo.endCursor,
                }).toString()}`}
              >
                Next page
              </Link>
            )}
          </nav>
        </section>
      )}
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, ErrorBox, StatusBadge } from '../../components/feedback.js';
import { graphql } from '../../gql/index.js';
import { compact, dateTime, enumLabel, ms, percent } from '../../lib/format.js';
import { load } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Models' };

// NOTE: the API has no list of trained models, so they are read through the experiments, 50 at a time.
const ModelsQuery = graphql(`
  query Models($after: String) {
    experiments(first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          dataset {
            name
          }
          teacher {
            id
            name
          }
          trainedModels {
            id
            method
            epochs
            status
            testTop1
            testTop5
            latencyMs
            params
            downloadable
            createdAt
          }
        }
      }
    }
  }
`);

export default async function ModelsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const after = typeof params.after === 'string' ? params.after : null;
  const result = await load(ModelsQuery, { after });
  if (!result.ok) return <ErrorBox error={result.error} title="Models could not be loaded" />;
  const rows = result.data.experiments.edges.flatMap(({ node }) =>
    node.trainedModels.map((model) => ({ model, experiment: node })),
  );
  rows.sort((a, b) => b.model.createdAt.localeCompare(a.model.createdAt));
  const page = result.data.experiments.pageInfo;

  return (
    <>
      <h1>Models</h1>
      {rows.length === 0 ? (
        <EmptyState title="No trained models yet">
          Open a completed experiment and use &quot;Train final models&quot; to train its best students on the
          whole training split.
        </EmptyState>
      ) : (
        <section className="panel">
          <div className="table-wrap">
            <table className="data" aria-label="Trained models">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Experiment</th>
                  <th scope="col">Teacher</th>
                  <th scope="col">Method</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Test top-1
                  </th>
                  <th scope="col" className="num">
                    Test top-5
                  </th>
                  <th scope="col" className="num">
                    Latency
                  </th>
                  <th scope="col" className="num">
                    Params
                  </th>
                  <th scope="col">Created</th>
                  <th scope="col">Files</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ model, experiment }) => (
                  <tr key={model.id}>
                    <td>
                      <Link href={`/models/${model.id}`}>{model.id.slice(0, 8)}</Link>
                    </td>
                    <td>
                      <Link href={`/experiments/${experiment.id}`}>{experiment.name}</Link>
                      <div className="help">{experiment.dataset.name}</div>
                    </td>
                    <td>{experiment.teacher ? experiment.teacher.name : 'none (GT)'}</td>
                    <td>
                      {enumLabel(model.method)}, {model.epochs} epochs
                    </td>
                    <td>
                      <StatusBadge status={model.status} />
                    </td>
                    <td className="num">{percent(model.testTop1)}</td>
                    <td className="num">{percent(model.testTop5)}</td>
                    <td className="num">{ms(model.latencyMs)}</td>
                    <td className="num">{compact(model.params)}</td>
                    <td>{dateTime(model.createdAt)}</td>
                    <td>
                      {model.downloadable ? (
                        <a href={`/api/models/${model.id}/download`}>Download .zip</a>
                      ) : (
                        '–'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.hasNextPage && page.endCursor && (
            <p>
              <Link className="button" href={`/models?after=${encodeURIComponent(page.endCursor)}`}>
                Models of older experiments
              </Link>
            </p>
          )}
        </section>
      )}
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { chooseDataset } from '../../../components/dataset-picker.js';
import { EmptyState, ErrorBox, StatusBadge } from '../../../components/feedback.js';
import { SimilarityStudyForm } from '../../../features/teachers/similarity-form.js';
import { SimilarityHeatmaps } from '../../../features/teachers/similarity-view.js';
import { graphql } from '../../../gql/index.js';
import { compact, ms, percent } from '../../../lib/format.js';
import { load, requireSession } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'Teacher comparison' };

const CompareDatasetsQuery = graphql(`
  query CompareDatasets {
    datasets {
      id
      name
    }
  }
`);

const TeacherComparisonQuery = graphql(`
  query TeacherComparison($datasetId: ID!, $latencyTargetMs: Float!) {
    teachers(datasetId: $datasetId) {
      id
      name
      family
      status
      testAccuracy
      params
      flops
    }
    teacherAdvice(datasetId: $datasetId, latencyTargetMs: $latencyTargetMs) {
      teacherName
      rank
      candidates
      candidatesUnderTarget
      bestAccuracy
      teacher {
        id
        testAccuracy
      }
      best {
        id
        experimentId
        architecture
        latencyMs
      }
    }
    studies(datasetId: $datasetId, kind: SIMILARITY, first: 5) {
      edges {
        node {
          id
          name
          status
          createdAt
          ... on SimilarityStudy {
            split
            temperature
            similarity {
              names
              meanKl
              agreement
              samples
            }
          }
        }
      }
    }
  }
`);

export default async function TeacherComparisonPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession();
  const params = await searchParams;
  const datasets = await load(CompareDatasetsQuery, {});
  if (!datasets.ok) return <ErrorBox error={datasets.error} title="Datasets could not be loaded" />;
  const dataset = chooseDataset(datasets.data.datasets, params.dataset);
  if (!dataset) return <EmptyState title="No dataset is registered" />;
  const target = Number(typeof params.target === 'string' ? params.target : '') || 5;
  const result = await load(TeacherComparisonQuery, { datasetId: dataset.id, latencyTargetMs: target });
  if (!result.ok) return <ErrorBox error={result.error} title="The comparison could not be loaded" />;
  const { teachers, teacherAdvice, studies } = result.data;
  const withMatrix = studies.edges.map((e) => e.node).find((s) => 'similarity' in s && s.similarity);
  const ready = teachers.filter((t) => t.status === 'READY');

  return (
    <>
      <div className="page-head">
        <h1>Teacher comparison</h1>
        <div className="actions">
          <Link className="button" href={`/leaderboards?dataset=${dataset.id}`}>
            Leaderboards
          </Link>
        </div>
      </div>
      <form className="toolbar" method="get">
        <div className="field">
          <label htmlFor="dataset">Dataset</label>
          <select id="dataset" name="dataset" defaultValue={dataset.id}>
            {datasets.data.datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="target">Latency target (ms)</label>
          <input id="target" name="target" inputMode="decimal" defaultValue={String(target)} />
        </div>
        <button type="submit">Rank teachers</button>
      </form>

      <section className="panel" aria-labelledby="advice-heading">
        <h2 id="advice-heading">Which teacher gives the best student at or below {ms(target)}</h2>
        {teacherAdvice.length === 0 ? (
          <EmptyState title="No search has finished on this dataset">
            Run searches with different teachers to compare them.
          </EmptyState>
        ) : (
          <table className="data" data-testid="teacher-advice">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rank
                </th>
                <th scope="col">Teacher</th>
                <th scope="col" className="num">
                  Teacher test acc.
                </th>
                <th scope="col" className="num">
                  Best student proxy acc.
                </th>
                <th scope="col">Best student</th>
                <th scope="col" className="num">
                  Candidates under target
                </th>
              </tr>
            </thead>
            <tbody>
              {teacherAdvice.map((advice) => (
                <tr key={advice.teacherName}>
                  <td className="num">{advice.rank ?? '–'}</td>
                  <td>
                    {advice.teacher ? (
                      <Link href={`/teachers/${advice.teacher.id}`}>{advice.teacherName}</Link>
                    ) : (
                      advice.teacherName
                    )}
                  </td>
                  <td className="num">{percent(advice.teacher?.testAccuracy)}</td>
                  <td className="num">{percent(advice.bestAccuracy)}</td>
                  <td className="mono">
                    {advice.best ? (
                      <Link href={`/experiments/${advice.best.experimentId}`}>
                        {advice.best.architecture} ({ms(advice.best.latencyMs)})
                      </Link>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td className="num">
                    {advice.candidatesUnderTarget} of {advice.candidates}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="help">
          GT is the conventional search on hard labels. Proxy accuracies of searches with different proxy
          settings are compared as they are.
        </p>
      </section>

      <section className="panel" aria-labelledby="teachers-heading">
        <h2 id="teachers-heading">Teachers</h2>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Teacher</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Test accuracy
              </th>
              <th scope="col" className="num">
                Params
              </th>
              <th scope="col" className="num">
                FLOPs
              </th>
            </tr>
          </thead>
          <tbody>
            {teachers.map((teacher) => (
              <tr key={teacher.id}>
                <td>
                  <Link href={`/teachers/${teacher.id}`}>{teacher.name}</Link>{' '}
                  <span className="help">{teacher.family}</span>
                </td>
                <td>
                  <StatusBadge status={teacher.status} />
                </td>
                <td className="num">{percent(teacher.testAccuracy)}</td>
                <td className="num">{compact(teacher.params)}</td>
                <td className="num">{compact(teacher.flops)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="similarity-heading">
        <h2 id="similarity-heading">Similarity of the teachers&apos; outputs</h2>
        {withMatrix && 'similarity' in withMatrix && withMatrix.similarity ? (
          <>
            <p className="help">
              From <Link href={`/studies/${withMatrix.id}`}>{withMatrix.name}</Link>,{' '}
              {withMatrix.split.toLowerCase()} split, temperature {withMatrix.temperature}.
            </p>
            <SimilarityHeatmaps matrix={withMatrix.similarity} idPrefix="similarity" />
          </>
        ) : (
          <EmptyState title="No completed similarity study for this dataset">
            {studies.edges.length > 0 ? (
              <>
                <Link href={`/studies/${studies.edges[0].node.id}`}>{studies.edges[0].node.name}</Link> is{' '}
                {studies.edges[0].node.status.toLowerCase()}.
              </>
            ) : session.role === 'EDITOR' ? (
              'Start one below to compare the teachers’ softened outputs (mean KL and top-1 agreement).'
            ) : (
              'An editor can start one.'
            )}
          </EmptyState>
        )}
        {session.role === 'EDITOR' && ready.length >= 2 && (
          <details>
            <summary>Start a similarity study</summary>
            <SimilarityStudyForm teachers={ready} />
          </details>
        )}
      </section>
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { chooseDataset } from '../../components/dataset-picker.js';
import { EmptyState, ErrorBox } from '../../components/feedback.js';
import { graphql } from '../../gql/index.js';
import { compact, ms, percent, points } from '../../lib/format.js';
import { load } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Leaderboards' };

const LeaderboardDatasetsQuery = graphql(`
  query LeaderboardDatasets {
    datasets {
      id
      name
    }
  }
`);

const TeacherLeaderboardsQuery = graphql(`
  query TeacherLeaderboards($datasetId: ID!, $bucketsMs: [Float!]!, $perBucket: Int!) {
    teacherLeaderboards(datasetId: $datasetId, bucketsMs: $bucketsMs, perBucket: $perBucket) {
      teacherName
      teacherTestAccuracy
      teacher {
        id
      }
      buckets {
        minLatencyMs
        maxLatencyMs
        candidates
        entries {
          rank
          accuracy
          accuracySource
          proxyAccuracy
          testAccuracy
          trainedModelId
          latencyMs
          params
          flops
          gain
          gainSource
          hardLabelAccuracy
          teacherAccuracyRetained
          experimentId
          candidate {
            id
            architecture
          }
        }
      }
    }
  }
`);

const DEFAULT_BUCKETS = '1,2,5,10,100';

/** Parses "1, 2, 5" into sorted distinct positive numbers; returns a message for bad input. */
function parseBuckets(text: string): number[] | string {
  const values = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  if (values.length === 0 || values.length > 10 || values.some((v) => !(v > 0) || !Number.isFinite(v))) {
    return `Invalid latency buckets "${text}": give 1 to 10 numbers of milliseconds greater than 0, separated by commas.`;
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

export default async function LeaderboardsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const datasets = await load(LeaderboardDatasetsQuery, {});
  if (!datasets.ok) return <ErrorBox error={datasets.error} title="Datasets could not be loaded" />;
  const dataset = chooseDataset(datasets.data.datasets, params.dataset);
  const budgetText = typeof params.budget === 'string' ? params.budget.trim() : '';
  const bucketText =
    typeof params.buckets === 'string' && params.buckets.trim() !== '' ? params.buckets : DEFAULT_BUCKETS;
  const perBucket = Math.min(20, Math.max(1, Number(params.perBucket) || 3));
  // A latency budget shows one bucket: every student at or below the budget.
  const buckets = budgetText !== '' ? parseBuckets(budgetText) : parseBuckets(bucketText);

  const form = (
    <form className="toolbar" method="get">
      <div className="field">
        <label htmlFor="dataset">Dataset</label>
        <select id="dataset" name="dataset" defaultValue={dataset?.id}>
          {datasets.data.datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="budget">Latency budget (ms)</label>
        <input id="budget" name="budget" inputMode="decimal" defaultValue={budgetText} placeholder="any" />
      </div>
      <div className="field">
        <label htmlFor="buckets">Latency buckets (ms)</label>
        <input id="buckets" name="buckets" defaultValue={bucketText} aria-describedby="buckets-help" />
      </div>
      <div className="field">
        <label htmlFor="perBucket">Students per bucket</label>
        <input id="perBucket" name="perBucket" inputMode="numeric" defaultValue={String(perBucket)} />
      </div>
      <button type="submit">Show</button>
      <p id="buckets-help" className="help">
        Upper bounds, separated by commas; a budget replaces them with one bucket up to the budget.
      </p>
    </form>
  );

  if (!dataset) return <EmptyState title="No dataset is registered" />;
  if (typeof buckets === 'string') {
    return (
      <>
        <h1>Leaderboards</h1>
        {form}
        <ErrorBox error={buckets} title="Invalid filter" />
      </>
    );
  }
  const result = await load(TeacherLeaderboardsQuery, {
    datasetId: dataset.id,
    bucketsMs: buckets,
    perBucket,
  });

  return (
    <>
      <h1>Leaderboards</h1>
      {form}
      {!result.ok ? (
        <ErrorBox error={result.error} title="The leaderboards could not be loaded" />
      ) : result.data.teacherLeaderboards.length === 0 ? (
        <EmptyState title="No completed candidates on this dataset">
          <Link href="/experiments/new">Run a search</Link>; its students appear here per teacher.
        </EmptyState>
      ) : (
        result.data.teacherLeaderboards.map((board) => (
          <section
            key={board.teacherName}
            className="panel"
            aria-label={`Leaderboard of ${board.teacherName}`}
            data-leaderboard={board.teacherName}
          >
            <div className="page-head">
              <h2>
                {board.teacher ? (
                  <Link href={`/teachers/${board.teacher.id}`}>{board.teacherName}</Link>
                ) : (
                  board.teacherName
                )}
              </h2>
              <span className="help">
                {board.teacher
                  ? `teacher test accuracy ${percent(board.teacherTestAccuracy)}`
                  : 'hard labels, no teacher'}
              </span>
            </div>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Latency bucket</th>
                    <th scope="col" className="num">
                      Rank
                    </th>
                    <th scope="col">Student</th>
                    <th scope="col" className="num">
                      Accuracy
                    </th>
                    <th scope="col" className="num">
                      Latency
                    </th>
                    <th scope="col" className="num">
                      Params
                    </th>
                    <th scope="col" className="num">
                      FLOPs
                    </th>
                    <th scope="col" className="num">
                      KD gain
                    </th>
                    <th scope="col" className="num">
                      Share of teacher acc.
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {board.buckets.map((bucket) =>
                    bucket.entries.length === 0 ? (
                      <tr key={bucket.maxLatencyMs}>
                        <th scope="row">
                          {ms(bucket.minLatencyMs)} – {ms(bucket.maxLatencyMs)}
                        </th>
                        <td colSpan={8} className="help">
                          No student in this bucket.
                        </td>
                      </tr>
                    ) : (
                      bucket.entries.map((entry, index) => (
                        <tr
                          key={`${bucket.maxLatencyMs}-${entry.candidate.id}`}
                          data-candidate-id={entry.candidate.id}
                        >
                          {index === 0 && (
                            <th scope="row" rowSpan={bucket.entries.length}>
                              {ms(bucket.minLatencyMs)} – {ms(bucket.maxLatencyMs)}
                              <div className="help">{bucket.candidates} candidates</div>
                            </th>
                          )}
                          <td className="num">{entry.rank}</td>
                          <td className="mono">
                            <Link href={`/experiments/${entry.experimentId}`}>
                              {entry.candidate.architecture ?? entry.candidate.id}
                            </Link>
                          </td>
                          <td className="num">
                            {percent(entry.accuracy)}{' '}
                            <span className="help">{entry.accuracySource === 'TEST' ? 'test' : 'proxy'}</span>
                            {entry.trainedModelId && (
                              <div>
                                <Link href={`/models/${entry.trainedModelId}`}>model</Link>
                              </div>
                            )}
                          </td>
                          <td className="num">{ms(entry.latencyMs)}</td>
                          <td className="num">{compact(entry.params)}</td>
                          <td className="num">{compact(entry.flops)}</td>
                          <td
                            className="num"
                            title={
                              entry.hardLabelAccuracy !== null && entry.hardLabelAccuracy !== undefined
                                ? `hard-label accuracy ${percent(entry.hardLabelAccuracy)}`
                                : undefined
                            }
                          >
                            {points(entry.gain)}{' '}
                            {entry.gainSource && (
                              <span className="help">{entry.gainSource.toLowerCase()}</span>
                            )}
                          </td>
                          <td className="num">{percent(entry.teacherAccuracyRetained)}</td>
                        </tr>
                      ))
                    ),
                  )}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
      <p className="help">
        KD gain is the distilled minus the hard-label accuracy of the same architecture, signed; it is known
        when the same genome was also trained on hard labels (a final model, or a hard-label search with the
        same proxy settings).
      </p>
    </>
  );
}

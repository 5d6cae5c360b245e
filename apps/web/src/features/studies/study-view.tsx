'use client';
// Results of one study by kind: similarity heatmaps, the teacher × student ranking matrix with
// Kendall τ, the ablation table and KD-friendliness over the search.
import Link from 'next/link';
import { useMemo } from 'react';
import { Chart } from '../../components/chart.js';
import { EmptyState, StatusBadge } from '../../components/feedback.js';
import type { StudyQuery as StudyResult } from '../../gql/graphql.js';
import { num, percent, points } from '../../lib/format.js';
import { SimilarityHeatmaps } from '../teachers/similarity-view.js';
import { heatmapOption } from './heatmap.js';

type Study = NonNullable<StudyResult['study']>;
type RankingStudy = Extract<Study, { matrix: unknown }>;
type AblationStudy = Extract<Study, { rows: unknown }>;
type KdStudy = Extract<Study, { generationResults: unknown }>;

function RankingView({ study }: { study: RankingStudy }) {
  const teacherNames = study.teachers.map((t) => t.name);
  const studentLabels = study.students.map((s) => s.label);
  const option = useMemo(() => {
    const means = study.teachers.map((teacher) =>
      study.students.map(
        (student) =>
          study.matrix.find((m) => m.teacher === teacher.key && m.student === student.key)?.mean ?? null,
      ),
    );
    const rankOf = (row: number, column: number) =>
      study.rankings
        .find((r) => r.teacher === study.teachers[row].key)
        ?.ranks?.find((rank) => rank.student === study.students[column].key)?.rank;
    return heatmapOption(teacherNames, studentLabels, means, {
      format: (value) => `${(value * 100).toFixed(1)}%`,
      cellLabel: (row, column, value) => {
        const rank = rankOf(row, column);
        return `${(value * 100).toFixed(1)}%${rank !== undefined ? `\n#${rank}` : ''}`;
      },
    });
  }, [study, teacherNames, studentLabels]);
  const nameOf = (key: string) => study.teachers.find((t) => t.key === key)?.name ?? key;
  const labelOf = (key: string) => study.students.find((s) => s.key === key)?.label ?? key;

  return (
    <>
      <section className="panel" aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">Ranking matrix</h2>
        <Chart
          name="ranking-matrix"
          label="Mean accuracy and rank of each student under each teacher"
          option={option}
          height={180 + 48 * teacherNames.length}
        />
        <p className="help">
          Mean top-1 accuracy over {study.seeds.length} seed{study.seeds.length === 1 ? '' : 's'} and the
          student&apos;s rank under that teacher (1 is best). {study.tieRule}
        </p>
        {study.incompleteReason && <p className="notice warning">{study.incompleteReason}</p>}
      </section>
      <div className="grid-2">
        <section className="panel" aria-labelledby="noise-heading">
          <h2 id="noise-heading">Best students and differences within noise</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Teacher</th>
                <th scope="col">Rank 1 (within the seed spread)</th>
                <th scope="col">Not distinguishable from the best (Welch, 0.05)</th>
              </tr>
            </thead>
            <tbody>
              {study.rankings.map((ranking) => (
                <tr key={ranking.teacher}>
                  <td>{ranking.teacherName}</td>
                  <td>
                    {ranking.complete
                      ? (ranking.bestWithinSpread ?? []).map(labelOf).join(', ')
                      : 'incomplete'}
                  </td>
                  <td>
                    {ranking.withinNoiseOfBest
                      ? ranking.withinNoiseOfBest.map(labelOf).join(', ') || 'none'
                      : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="tau-heading">
          <h2 id="tau-heading">Kendall τ between the teachers&apos; rankings</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Teacher A</th>
                <th scope="col">Teacher B</th>
                <th scope="col" className="num">
                  τ
                </th>
              </tr>
            </thead>
            <tbody>
              {study.kendallTau.map((pair) => (
                <tr key={`${pair.teacherA}-${pair.teacherB}`}>
                  <td>{nameOf(pair.teacherA)}</td>
                  <td>{nameOf(pair.teacherB)}</td>
                  <td className="num">{num(pair.tau, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="help">
            τ near 1: the teachers order the students alike; near 0 or below: each teacher prefers other
            students.
          </p>
        </section>
      </div>
    </>
  );
}

const BY_LABEL = { HARD_LABEL: 'hard label', DISTILLATION: 'distillation' } as const;

function AblationView({ study }: { study: AblationStudy }) {
  const trainBys = ['HARD_LABEL', 'DISTILLATION'] as const;
  return (
    <section className="panel" aria-labelledby="ablation-heading">
      <h2 id="ablation-heading">Searching by × training by (teacher {study.teacher.name})</h2>
      <div className="table-wrap">
        <table className="data" data-testid="ablation-table">
          <thead>
            <tr>
              <th scope="col">Latency target</th>
              <th scope="col">Searched by</th>
              {trainBys.map((trainBy) => (
                <th key={trainBy} scope="col" className="num">
                  Trained by {BY_LABEL[trainBy]}: top-1 / top-5
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {study.rows.flatMap((row) =>
              (['HARD_LABEL', 'DISTILLATION'] as const).map((searchBy, index) => (
                <tr key={`${row.latencyTargetMs}-${searchBy}`}>
                  {index === 0 && (
                    <th scope="row" rowSpan={2}>
                      {row.latencyTargetMs} ms
                    </th>
                  )}
                  <td>{BY_LABEL[searchBy]}</td>
                  {trainBys.map((trainBy) => {
                    const entry = row.entries.find((e) => e.searchBy === searchBy && e.trainBy === trainBy);
                    return (
                      <td key={trainBy} className="num">
                        {entry && entry.top1 !== null && entry.top1 !== undefined ? (
                          <>
                            {percent(entry.top1)} / {percent(entry.top5)}
                          </>
                        ) : (
                          <StatusBadge status={entry?.status ?? 'PENDING'} />
                        )}
                        {entry?.error && <div className="error">{entry.error}</div>}
                      </td>
                    );
                  })}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function KdFriendlinessView({ study }: { study: KdStudy }) {
  return (
    <section className="panel" aria-labelledby="kd-heading">
      <h2 id="kd-heading">KD-friendliness over the search</h2>
      <p className="help">
        [KD(AKD) − CLS(AKD)] − [KD(NAS) − CLS(NAS)] for the top {study.topK} students of{' '}
        <Link href={`/experiments/${study.akdExperimentId}`}>the distillation search</Link> and{' '}
        <Link href={`/experiments/${study.nasExperimentId}`}>the hard-label search</Link>.
      </p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col" className="num">
              Generation
            </th>
            <th scope="col" className="num">
              Winning ratio
            </th>
            <th scope="col" className="num">
              Average gain
            </th>
            <th scope="col" className="num">
              Wins / ties / pairs
            </th>
          </tr>
        </thead>
        <tbody>
          {study.generationResults.map((g) => (
            <tr key={g.generation}>
              <td className="num">{g.generation}</td>
              <td className="num">{percent(g.winningRatio)}</td>
              <td className="num">{points(g.averageGain, 2)}</td>
              <td className="num">
                {g.wins ?? '–'} / {g.ties ?? '–'} / {g.comparisons ?? '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Renders the results of a study by its kind. */
export function StudyResults({ study }: { study: Study }) {
  if ('similarity' in study) {
    return study.similarity ? (
      <section className="panel" aria-label="Teacher similarity">
        <SimilarityHeatmaps matrix={study.similarity} idPrefix="study" />
      </section>
    ) : (
      <EmptyState title="The similarity matrix appears once every cell has finished" />
    );
  }
  if ('matrix' in study) return <RankingView study={study as RankingStudy} />;
  if ('rows' in study) return <AblationView study={study as AblationStudy} />;
  if ('generationResults' in study) return <KdFriendlinessView study={study as KdStudy} />;
  return <EmptyState title="This kind of study has no view yet" />;
}

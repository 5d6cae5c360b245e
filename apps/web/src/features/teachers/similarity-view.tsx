'use client';
import { useMemo } from 'react';
import { Chart } from '../../components/chart.js';
import { heatmapOption } from '../studies/heatmap.js';

/** A teacher similarity matrix as the similarity study returns it. */
export interface SimilarityMatrix {
  names: readonly string[];
  meanKl: readonly (readonly number[])[];
  agreement: readonly (readonly number[])[];
  samples: number;
}

/** Heatmaps of mean KL(p_row ‖ p_column) and of top-1 agreement between teachers and GT. */
export function SimilarityHeatmaps({ matrix, idPrefix }: { matrix: SimilarityMatrix; idPrefix: string }) {
  const kl = useMemo(
    () =>
      heatmapOption(matrix.names, matrix.names, matrix.meanKl, {
        format: (v) => v.toFixed(3),
        colors: ['#f7fbf4', '#e0a340', '#a1461f'],
      }),
    [matrix],
  );
  const agreement = useMemo(
    () =>
      heatmapOption(matrix.names, matrix.names, matrix.agreement, {
        format: (v) => `${(v * 100).toFixed(1)}%`,
      }),
    [matrix],
  );
  const height = 160 + 40 * matrix.names.length;
  return (
    <div className="grid-2">
      <div>
        <h3>Mean KL divergence (nats)</h3>
        <Chart
          name={`${idPrefix}-kl`}
          label="Mean KL divergence from each row source to each column source"
          option={kl}
          height={height}
        />
      </div>
      <div>
        <h3>Top-1 agreement</h3>
        <Chart
          name={`${idPrefix}-agreement`}
          label="Share of samples on which two sources predict the same class"
          option={agreement}
          height={height}
        />
      </div>
      <p className="help">
        Over {matrix.samples} samples. KL is not symmetric: a row is p, a column q in KL(p ‖ q).
      </p>
    </div>
  );
}

'use client';
// Structure analysis of an experiment's candidates: operation shares per generation, the PCA of
// the architecture encodings, latency against FLOPs, and proxy fidelity against final models.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Chart } from '../../components/chart.js';
import { EmptyState, ErrorBox } from '../../components/feedback.js';
import type { ExperimentStructureQuery as StructureResult } from '../../gql/graphql.js';
import { messageOf, request } from '../../lib/client.js';
import { num } from '../../lib/format.js';
import { fidelityOption, latencyFlopsOption, opDistributionOption, pcaOption } from './chart-options.js';
import { ExperimentStructureQuery } from './queries.js';

type Loaded = NonNullable<StructureResult['experiment']>;

/**
 * Loads the analysis when the panel comes near the viewport, and again whenever `version` changes.
 * The PCA over every candidate is the most expensive query of the page, so a visitor who never
 * scrolls down does not cost it.
 */
export function StructurePanel({ experimentId, version }: { experimentId: string; version: number }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [visible, setVisible] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = anchor.current;
    if (!node || visible) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
      },
      { rootMargin: '400px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    request(ExperimentStructureQuery, { id: experimentId })
      .then((result) => {
        if (cancelled) return;
        setData(result.experiment ?? null);
        setError(null);
      })
      .catch((failure: unknown) => !cancelled && setError(messageOf(failure)));
    return () => {
      cancelled = true;
    };
  }, [experimentId, version, visible]);

  const ops = useMemo(() => (data ? opDistributionOption(data.structure.distributions) : null), [data]);
  const pca = useMemo(
    () => (data?.structure.pca ? pcaOption(data.structure.pca.points, data.structure.pca.components) : null),
    [data],
  );
  const flops = useMemo(
    () =>
      data
        ? latencyFlopsOption(data.structure.latencyVersusFlops.points, data.structure.latencyVersusFlops.fit)
        : null,
    [data],
  );
  const fidelity = useMemo(
    () => (data && data.proxyFidelity.pairs.length > 0 ? fidelityOption(data.proxyFidelity.pairs) : null),
    [data],
  );

  if (error) return <ErrorBox error={error} title="The structure analysis could not be loaded" />;
  if (!data) {
    return (
      <div ref={anchor} className="panel" data-structure="loading">
        <p className="help">
          {visible ? 'Loading the structure analysis…' : 'The structure analysis loads when you scroll here.'}
        </p>
      </div>
    );
  }

  const { structure, proxyFidelity } = data;
  const fit = structure.latencyVersusFlops.fit;

  return (
    <div className="grid-2" data-structure="loaded">
      <section className="panel" aria-labelledby="ops-heading">
        <h2 id="ops-heading">Operations per generation</h2>
        {structure.distributions.length === 0 || !ops ? (
          <EmptyState title="No completed candidates yet" />
        ) : (
          <Chart
            name="ops"
            label="Share of each convolution op among the blocks of each generation"
            option={ops}
          />
        )}
      </section>
      <section className="panel" aria-labelledby="pca-heading">
        <h2 id="pca-heading">Architecture encodings (PCA)</h2>
        {pca ? (
          <>
            <Chart
              name="pca"
              label={`First two principal components of ${structure.candidateCount} architecture encodings, coloured by generation`}
              option={pca}
            />
            <p className="help">
              Strongest loadings of PC1:{' '}
              {structure
                .pca!.components[0]?.topLoadings.slice(0, 3)
                .map((loading) => `${loading.label} (${num(loading.weight, 2)})`)
                .join(', ')}
            </p>
          </>
        ) : (
          <EmptyState title="No PCA yet">{structure.pcaUnavailableReason}</EmptyState>
        )}
      </section>
      <section className="panel" aria-labelledby="flops-heading">
        <h2 id="flops-heading">Latency against FLOPs</h2>
        {flops && structure.latencyVersusFlops.points.length > 0 ? (
          <>
            <Chart
              name="latency-flops"
              label="Latency against FLOPs of the candidates with a fitted line"
              option={flops}
            />
            <p className="help">
              {fit
                ? `Fit: ${num(fit.interceptMs, 3)} ms + ${num(fit.slopeMsPerFlop * 1e6, 3)} ms per MFLOP, R² ${num(fit.rSquared, 3)} over ${fit.n} candidates.`
                : structure.latencyVersusFlops.unavailableReason}
            </p>
          </>
        ) : (
          <EmptyState title="No latencies yet">{structure.latencyVersusFlops.unavailableReason}</EmptyState>
        )}
      </section>
      <section className="panel" aria-labelledby="fidelity-heading">
        <h2 id="fidelity-heading">Proxy fidelity</h2>
        {fidelity ? (
          <>
            <Chart
              name="fidelity"
              label="Proxy accuracy against test accuracy of the final models"
              option={fidelity}
              height={260}
            />
            <p className="help">
              Spearman correlation {num(proxyFidelity.spearman, 3)} over {proxyFidelity.n} candidates with a
              final model.
            </p>
          </>
        ) : (
          <EmptyState title="Not measured yet">
            {proxyFidelity.unavailableReason ??
              'Train final models of several candidates to compare their test accuracy with the proxy accuracy.'}
          </EmptyState>
        )}
      </section>
    </div>
  );
}

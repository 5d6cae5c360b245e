'use client';
// The experiment page after its first render on the server: live status and progress, charts,
// the candidates table, the best architecture and the final models.
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Chart } from '../../components/chart.js';
import { EmptyState, ErrorBox, ProgressBar, StatusBadge } from '../../components/feedback.js';
import type {
  CandidatePointsQuery as CandidatePointsResult,
  ExperimentPageQuery as ExperimentPageResult,
  TrainedModelRowFragment,
} from '../../gql/graphql.js';
import { messageOf, request } from '../../lib/client.js';
import { compact, dateTime, enumLabel, ms, num, percent } from '../../lib/format.js';
import { BestArchitecture } from './best-architecture.js';
import { CandidatesTable } from './candidates-table.js';
import { paretoOption, rewardOption, type CandidatePoint } from './chart-options.js';
import { ExperimentControls } from './experiment-controls.js';
import { FinalModels } from './final-models.js';
import { useExperimentLive, type ExperimentUpdate } from './live.js';
import { CandidatePointsQuery, ExperimentLiveQuery } from './queries.js';
import { StructurePanel } from './structure-panel.js';

/** The experiment as the page query returns it. */
export type PageExperiment = NonNullable<ExperimentPageResult['experiment']>;

/** Statuses after which an experiment no longer changes by itself. */
const SETTLED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** Charts that must have drawn before the page counts as ready. */
const READY_CHARTS = ['rewards', 'pareto'] as const;

/** Most points the scatter loads in the background, 100 per request. */
const MAX_POINTS = 20_000;

/** Minimum time between two reloads of the live data after events, in milliseconds. */
const REFRESH_INTERVAL_MS = 2000;

function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="page-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function ExperimentView({
  initial,
  canEdit,
  bestArchitecture,
}: {
  initial: PageExperiment;
  canEdit: boolean;
  /** The best candidate's architecture diagram, drawn on the server. */
  bestArchitecture: ReactNode;
}) {
  const [experiment, setExperiment] = useState(initial);
  const [points, setPoints] = useState<CandidatePoint[]>(() =>
    initial.candidates.edges.map(({ node }) => ({ ...node })).filter((p) => p.status === 'COMPLETED'),
  );
  const [pointsTotal, setPointsTotal] = useState<number | null>(null);
  const [pointsComplete, setPointsComplete] = useState(false);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [tableKey, setTableKey] = useState(0);
  const readyParts = useRef(new Set<string>());
  const root = useRef<HTMLDivElement>(null);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRefresh = useRef(0);
  const id = initial.id;

  const markReady = useCallback((part: string) => {
    readyParts.current.add(part);
    const complete =
      readyParts.current.has('table') && READY_CHARTS.every((name) => readyParts.current.has(name));
    if (complete && root.current && root.current.dataset.ready !== 'true') {
      root.current.dataset.ready = 'true';
      performance.mark('akd:experiment-ready');
    }
  }, []);

  // Reloads generations, Pareto front, best candidate and models at most every REFRESH_INTERVAL_MS.
  const scheduleRefresh = useCallback(() => {
    if (refreshTimer.current) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_INTERVAL_MS - Date.now());
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      lastRefresh.current = Date.now();
      request(ExperimentLiveQuery, { id })
        .then((data) => {
          if (data.experiment) setExperiment((current) => ({ ...current, ...data.experiment }));
        })
        .catch((error: unknown) => setLiveError(messageOf(error)));
      setTableKey((key) => key + 1);
    }, wait);
  }, [id]);

  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  const applySummary = useCallback((update: ExperimentUpdate) => {
    setExperiment((current) => ({ ...current, ...update }));
  }, []);

  useExperimentLive(id, !SETTLED.has(initial.status), {
    onExperiment: (update) => {
      applySummary(update);
      scheduleRefresh();
    },
    onCandidate: (candidate) => {
      if (candidate.status === 'COMPLETED') {
        setPoints((list) => (list.some((point) => point.id === candidate.id) ? list : [...list, candidate]));
      }
      scheduleRefresh();
    },
    onError: setLiveError,
  });

  // Final models change without an experiment event, so they are polled while one trains.
  const modelsTraining = experiment.trainedModels.some(
    (m) => m.status === 'PENDING' || m.status === 'RUNNING',
  );
  useEffect(() => {
    if (!modelsTraining) return;
    const timer = setInterval(scheduleRefresh, 3000);
    return () => clearInterval(timer);
  }, [modelsTraining, scheduleRefresh]);

  // Loads every completed candidate for the scatter and the op distribution, after the first paint.
  useEffect(() => {
    let cancelled = false;
    const loadAll = async () => {
      const loaded: CandidatePoint[] = [];
      let after: string | null = null;
      do {
        const data: CandidatePointsResult = await request(CandidatePointsQuery, { id, after });
        if (cancelled || !data.experiment) return;
        const connection = data.experiment.candidates;
        loaded.push(...connection.edges.map(({ node }) => node));
        setPointsTotal(connection.totalCount);
        after = connection.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null;
        // Redraw every 20 pages, and at the end.
        if (after === null || loaded.length % 2000 === 0) setPoints([...loaded]);
      } while (after !== null && loaded.length < MAX_POINTS);
      // Candidates that finished live while the pages loaded are kept.
      if (!cancelled) {
        setPointsComplete(true);
        setPoints((current) => {
          const ids = new Set(loaded.map((point) => point.id));
          return [...loaded, ...current.filter((point) => !ids.has(point.id))];
        });
      }
    };
    const timer = setTimeout(() => {
      loadAll().catch((error: unknown) => !cancelled && setLiveError(messageOf(error)));
    }, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [id]);

  const rewards = useMemo(() => rewardOption(experiment.generations), [experiment.generations]);
  const pareto = useMemo(
    () => paretoOption(points, experiment.paretoFront, experiment.latencyTargetMs),
    [points, experiment.paretoFront, experiment.latencyTargetMs],
  );
  // The structure analysis reloads when the search settles and when final models complete.
  const structureVersion =
    (SETTLED.has(experiment.status) ? 1 : 0) +
    experiment.trainedModels.filter((m) => m.status === 'COMPLETED').length * 2;
  const best = experiment.bestCandidates[0];
  const progress = experiment.progress;
  const onQueued = (models: TrainedModelRowFragment[]) =>
    setExperiment((current) => ({
      ...current,
      trainedModels: [...current.trainedModels.filter((m) => !models.some((n) => n.id === m.id)), ...models],
    }));

  return (
    <div
      ref={root}
      data-testid="experiment-page"
      data-experiment-id={id}
      data-points={pointsComplete ? 'complete' : 'loading'}
    >
      <div className="page-head">
        <h1>{experiment.name}</h1>
        <span data-testid="experiment-status">
          <StatusBadge status={experiment.status} />
        </span>
        {canEdit && (
          <ExperimentControls
            id={id}
            name={experiment.name}
            status={experiment.status}
            onChange={applySummary}
          />
        )}
      </div>
      {experiment.error && <ErrorBox error={experiment.error} title="The search failed" />}
      {liveError && (
        <p role="status" className="notice warning">
          {liveError}
        </p>
      )}

      <section className="panel" aria-label="Progress and settings">
        <ProgressBar
          value={progress.completed + progress.failed}
          max={progress.budget}
          label="Candidates evaluated"
        />
        <dl className="stats" aria-live="polite">
          <div>
            <dt>Completed</dt>
            <dd data-testid="completed-count">{progress.completed}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{progress.failed}</dd>
          </div>
          <div>
            <dt>In progress</dt>
            <dd>{progress.inProgress}</dd>
          </div>
          <div>
            <dt>Generations</dt>
            <dd>{experiment.generations.length}</dd>
          </div>
          <div>
            <dt>Best reward</dt>
            <dd>{num(best?.reward)}</dd>
          </div>
          <div>
            <dt>Best accuracy</dt>
            <dd>{percent(best?.proxyAccuracy)}</dd>
          </div>
        </dl>
        <details>
          <summary>Settings</summary>
          <dl className="kv">
            <dt>Dataset</dt>
            <dd>{experiment.dataset.name}</dd>
            <dt>Teacher</dt>
            <dd>
              {experiment.teacher ? (
                <Link href={`/teachers/${experiment.teacher.id}`}>
                  {experiment.teacher.name} ({percent(experiment.teacher.testAccuracy)} test)
                </Link>
              ) : (
                'none: conventional NAS on hard labels'
              )}
            </dd>
            <dt>Strategy</dt>
            <dd>
              {enumLabel(experiment.strategy)}{' '}
              <span className="mono">{JSON.stringify(experiment.strategyOptions)}</span>
            </dd>
            <dt>Search by</dt>
            <dd>{enumLabel(experiment.searchBy)}</dd>
            <dt>Latency</dt>
            <dd>
              {enumLabel(experiment.latencyModel)}, target {ms(experiment.latencyTargetMs)}, α{' '}
              {experiment.rewardAlpha}, β {experiment.rewardBeta}
            </dd>
            <dt>Budget</dt>
            <dd>
              {experiment.budget} candidates, {experiment.generationSize} per generation, seed{' '}
              {experiment.seed}
            </dd>
            <dt>Proxy task</dt>
            <dd>
              {experiment.proxySettings.trainSize} / {experiment.proxySettings.valSize} images,{' '}
              {experiment.proxySettings.epochs} epochs, batch {experiment.proxySettings.batchSize}, learning
              rate {experiment.proxySettings.learningRate}
            </dd>
            <dt>Distillation</dt>
            <dd>
              λ {experiment.kdSettings.lambda}, τ {experiment.kdSettings.temperature}
            </dd>
            <dt>Created</dt>
            <dd>{dateTime(experiment.createdAt)}</dd>
            <dt>Finished</dt>
            <dd>{dateTime(experiment.finishedAt)}</dd>
          </dl>
        </details>
      </section>

      <div className="grid-2">
        <Section id="rewards" title="Reward per generation">
          <Chart
            name="rewards"
            label={`Best and mean reward of ${experiment.generations.length} generations`}
            option={rewards}
            onRendered={markReady}
          />
          {experiment.generations.length === 0 && <p className="help">No generation has finished yet.</p>}
        </Section>
        <Section id="pareto" title="Accuracy against latency">
          <Chart
            name="pareto"
            label={`Proxy accuracy against latency of ${points.length} candidates, the Pareto front and the ${experiment.latencyTargetMs} ms target`}
            option={pareto}
            onRendered={markReady}
          />
          <p className="help">
            {pointsTotal !== null && points.length < pointsTotal
              ? `Loaded ${points.length} of ${pointsTotal} completed candidates.`
              : `${points.length} completed candidates; the dashed line is the latency target T.`}
          </p>
        </Section>
      </div>

      <Section id="candidates" title="Candidates">
        <CandidatesTable
          experimentId={id}
          initial={initial.candidates}
          refreshKey={tableKey}
          onRendered={() => markReady('table')}
        />
      </Section>

      <StructurePanel experimentId={id} version={structureVersion} />

      <Section id="best" title="Best architecture">
        {best ? (
          <>
            <dl className="stats">
              <div>
                <dt>Proxy accuracy</dt>
                <dd>{percent(best.proxyAccuracy)}</dd>
              </div>
              <div>
                <dt>Latency</dt>
                <dd>{ms(best.latencyMs)}</dd>
              </div>
              <div>
                <dt>Reward</dt>
                <dd>{num(best.reward)}</dd>
              </div>
              <div>
                <dt>Params</dt>
                <dd>{compact(best.params)}</dd>
              </div>
              <div>
                <dt>FLOPs</dt>
                <dd>{compact(best.flops)}</dd>
              </div>
            </dl>
            <p className="mono">{best.architecture}</p>
            <BestArchitecture
              candidateId={best.id}
              initialCandidateId={initial.bestCandidates[0]?.id}
              initialDiagram={bestArchitecture}
              space={experiment.searchSpace}
              genome={best.genome}
              label={`Blocks of the best candidate: ${best.architecture ?? ''}`}
            />
          </>
        ) : (
          <EmptyState title="No completed candidate yet" />
        )}
      </Section>

      <Section id="models" title="Final models">
        <FinalModels
          experimentId={id}
          models={experiment.trainedModels}
          hasTeacher={experiment.teacher !== null && experiment.teacher !== undefined}
          canEdit={canEdit}
          completedCandidates={progress.completed}
          onQueued={onQueued}
        />
      </Section>
    </div>
  );
}

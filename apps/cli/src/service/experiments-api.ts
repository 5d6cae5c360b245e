import { isDeepStrictEqual } from 'node:util';
import { AkdError } from '@akd/core';
import type { ProxySettings } from '@akd/proxy-task';
import type { LeaderboardEntry } from '@akd/runner';
import type { GraphqlClient } from './graphql-client.js';

/** Lifecycle of an experiment, as GraphQL spells it. */
export type ExperimentStatus = 'QUEUED' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** Settings of a search, in the shape of GraphQL's CreateExperimentInput. */
export interface ExperimentInput {
  name: string;
  datasetId: string;
  teacherId: string | null;
  searchBy: 'DISTILLATION' | 'HARD_LABEL';
  strategy: 'POLICY_GRADIENT' | 'EVOLUTION' | 'RANDOM';
  latencyModel: 'MEASURED';
  latencyTargetMs: number;
  reward: { alpha: number; beta: number };
  proxy: ProxySettings;
  kd: { lambda: number; temperature: number };
  budget: number;
  generationSize: number;
  seed: number;
}

/** An experiment as the demo reads it. */
export interface ExperimentState {
  id: string;
  name: string;
  status: ExperimentStatus;
  error: string | null;
  progress: { budget: number; completed: number; failed: number; inProgress: number };
}

interface ListedExperiment extends Omit<ExperimentInput, 'datasetId' | 'reward' | 'proxy' | 'kd'> {
  id: string;
  status: ExperimentStatus;
  proxySettings: ProxySettings;
  kdSettings: { lambda: number; temperature: number };
}

const STATE_FIELDS = 'id name status error progress { budget completed failed inProgress }';

const LIST = `query DemoExperiments($datasetId: ID!, $after: String) {
  experiments(
    first: 100
    after: $after
    filter: { datasetId: $datasetId, status: [QUEUED, RUNNING, PAUSED, COMPLETED, FAILED] }
  ) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id name status teacherId searchBy strategy latencyModel latencyTargetMs budget generationSize seed
        proxySettings { trainSize valSize epochs batchSize learningRate seed }
        kdSettings { lambda temperature }
      }
    }
  }
}`;

/** Returns true when a listed experiment was created with exactly the settings of `input`. */
function sameSettings(listed: ListedExperiment, input: ExperimentInput): boolean {
  return (
    listed.name === input.name &&
    listed.teacherId === input.teacherId &&
    listed.searchBy === input.searchBy &&
    listed.strategy === input.strategy &&
    listed.latencyModel === input.latencyModel &&
    listed.latencyTargetMs === input.latencyTargetMs &&
    listed.budget === input.budget &&
    listed.generationSize === input.generationSize &&
    listed.seed === input.seed &&
    isDeepStrictEqual({ ...listed.proxySettings }, { ...input.proxy }) &&
    isDeepStrictEqual({ ...listed.kdSettings }, { ...input.kd })
  );
}

/**
 * Returns the newest experiment of the dataset with exactly these settings that is not cancelled,
 * skipping completed ones when `fresh` is set, or null when there is none.
 */
export async function findExperiment(
  graphql: GraphqlClient,
  input: ExperimentInput,
  fresh: boolean,
): Promise<{ id: string; status: ExperimentStatus } | null> {
  let after: string | null = null;
  for (;;) {
    type Page = {
      experiments: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: ListedExperiment }[];
      };
    };
    const page: Page = await graphql.request<Page>(LIST, { datasetId: input.datasetId, after });
    for (const { node } of page.experiments.edges) {
      if (!sameSettings(node, input)) continue;
      if (node.status === 'COMPLETED' && fresh) continue;
      return { id: node.id, status: node.status };
    }
    if (!page.experiments.pageInfo.hasNextPage) return null;
    after = page.experiments.pageInfo.endCursor;
  }
}

/** Records a new experiment through `createExperiment`; the API queues its search. */
export async function createExperiment(
  graphql: GraphqlClient,
  input: ExperimentInput,
): Promise<ExperimentState> {
  const data = await graphql.request<{ createExperiment: ExperimentState }>(
    `mutation DemoCreate($input: CreateExperimentInput!) { createExperiment(input: $input) { ${STATE_FIELDS} } }`,
    { input },
  );
  return data.createExperiment;
}

/** Lifecycle mutations the demo sends. */
export type ExperimentMutation = 'startExperiment' | 'pauseExperiment' | 'resumeExperiment';

/** Sends `mutation` for the experiment `id` and returns the experiment afterwards. */
export async function changeExperiment(
  graphql: GraphqlClient,
  mutation: ExperimentMutation,
  id: string,
): Promise<ExperimentState> {
  const data = await graphql.request<Record<ExperimentMutation, ExperimentState>>(
    `mutation DemoChange($id: ID!) { ${mutation}(id: $id) { ${STATE_FIELDS} } }`,
    { id },
  );
  return data[mutation];
}

/**
 * Pauses each experiment that is queued or running. One that finished in the meantime is
 * left as it is (the API returns CONFLICT).
 */
export async function pauseExperiments(graphql: GraphqlClient, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    try {
      await changeExperiment(graphql, 'pauseExperiment', id);
    } catch (error) {
      if (!(error instanceof AkdError && error.code === 'CONFLICT')) throw error;
    }
  }
}

/** Reads the status and candidate counts of the experiments `ids`, in one request. */
export async function readExperiments(
  graphql: GraphqlClient,
  ids: readonly string[],
): Promise<ExperimentState[]> {
  const variables = Object.fromEntries(ids.map((id, index) => [`id${index}`, id]));
  const declarations = ids.map((_, index) => `$id${index}: ID!`).join(', ');
  const fields = ids
    .map((_, index) => `e${index}: experiment(id: $id${index}) { ${STATE_FIELDS} }`)
    .join('\n');
  const data = await graphql.request<Record<string, ExperimentState | null>>(
    `query DemoProgress(${declarations}) {\n${fields}\n}`,
    variables,
  );
  return ids.map((id, index) => {
    const state = data[`e${index}`];
    if (!state)
      throw new AkdError('NOT_FOUND', `Experiment ${id} no longer exists; it was deleted meanwhile.`);
    return state;
  });
}

/** The best candidates of an experiment as leaderboard rows, with the backend that trained the best. */
export interface ExperimentBoard {
  completed: number;
  latencyTargetMs: number;
  /** `MEASURED`, `TABLE` or `FLOPS`, as the API names the latency model. */
  latencyModel: string;
  /** Images of mini-train and mini-val and the epochs of the proxy task. */
  proxy: { trainSize: number; valSize: number; epochs: number };
  /** Reward exponents at or below the latency target (alpha) and above it (beta). */
  rewardAlpha: number;
  rewardBeta: number;
  rows: LeaderboardEntry[];
  backend: string | null;
}

/** Reads the `k` completed candidates of the experiment with the highest reward. */
export async function readBoard(graphql: GraphqlClient, id: string, k = 5): Promise<ExperimentBoard> {
  type Row = {
    id: string;
    genomeHash: string;
    architecture: string | null;
    proxyAccuracy: number | null;
    latencyMs: number | null;
    params: string;
    flops: string;
    reward: number | null;
    backend: string | null;
  };
  const data = await graphql.request<{
    experiment: {
      latencyTargetMs: number;
      latencyModel: string;
      rewardAlpha: number;
      rewardBeta: number;
      proxySettings: { trainSize: number; valSize: number; epochs: number };
      progress: { completed: number };
      bestCandidates: Row[];
    } | null;
  }>(
    `query DemoBoard($id: ID!, $k: Int!) {
      experiment(id: $id) {
        latencyTargetMs
        latencyModel
        rewardAlpha
        rewardBeta
        proxySettings { trainSize valSize epochs }
        progress { completed }
        bestCandidates(k: $k) { id genomeHash architecture proxyAccuracy latencyMs params flops reward backend }
      }
    }`,
    { id, k },
  );
  if (!data.experiment)
    throw new AkdError('NOT_FOUND', `Experiment ${id} no longer exists; it was deleted meanwhile.`);
  const { experiment } = data;
  return {
    completed: experiment.progress.completed,
    latencyTargetMs: experiment.latencyTargetMs,
    latencyModel: experiment.latencyModel,
    proxy: experiment.proxySettings,
    rewardAlpha: experiment.rewardAlpha,
    rewardBeta: experiment.rewardBeta,
    backend: experiment.bestCandidates[0]?.backend ?? null,
    rows: experiment.bestCandidates.map((row) => ({
      candidateId: row.id,
      genomeHash: row.genomeHash,
      architecture: row.architecture ?? '',
      accuracy: row.proxyAccuracy ?? 0,
      latencyMs: row.latencyMs ?? 0,
      params: Number(row.params),
      flops: Number(row.flops),
      reward: row.reward ?? 0,
    })),
  };
}

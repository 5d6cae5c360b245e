import { Inject, Injectable } from '@nestjs/common';
import { AkdError } from '@akd/core';
import { computePca2d, countArchitectureChoices, fitLatencyToFlops, type ChoiceCount } from '@akd/analysis';
import { fromEnumKey, type Experiment } from '@akd/db';
import { encodeGenome, encodingLabels, type Genome, type SearchSpace } from '@akd/search-space';
import { checkId } from '../common/ids.js';
import type { CandidateStatusValue } from '../common/enums.js';
import { AnalysisRepository, type StructureCandidate } from './analysis.repository.js';
import type {
  ArchitectureDistributionModel,
  ArchitecturePcaModel,
  ArchitectureStructureModel,
  ChoiceShareModel,
  EncodingLoadingModel,
  LatencyVersusFlopsModel,
} from './models/structure.model.js';

/** Largest number of experiments one structure query may combine. */
export const MAX_STRUCTURE_EXPERIMENTS = 20;

/** Encoding entries listed per principal component. */
const TOP_LOADINGS = 5;

@Injectable()
export class StructureService {
  constructor(@Inject(AnalysisRepository) private readonly analysis: AnalysisRepository) {}

  /**
   * Projects the candidates of the experiments onto two principal components of their genome
   * encodings, counts their block choices per experiment and generation, and fits latency against
   * FLOPs. Throws INVALID_INPUT for a malformed or repeated id, too many ids, or experiments whose
   * search spaces encode genomes differently, and NOT_FOUND for an unknown experiment.
   */
  async structure(experimentIds: readonly string[]): Promise<ArchitectureStructureModel> {
    const experiments = await this.loadExperiments(experimentIds);
    const spaces = experiments.map((experiment) => experiment.searchSpace as unknown as SearchSpace);
    checkSameEncoding(experiments, spaces);

    const order = new Map(experiments.map((experiment, index) => [experiment.id, index]));
    const candidates = (await this.analysis.structureCandidates(experiments.map((row) => row.id))).sort(
      (a, b) => (order.get(a.experimentId) ?? 0) - (order.get(b.experimentId) ?? 0),
    );
    const spaceOf = (candidate: StructureCandidate): SearchSpace =>
      spaces[order.get(candidate.experimentId) ?? 0];

    const projection = project(candidates, spaceOf, spaces[0]);
    return {
      experimentIds: experiments.map((experiment) => experiment.id),
      candidateCount: candidates.length,
      pca: projection.pca,
      pcaUnavailableReason: projection.reason,
      distributions: experiments.flatMap((experiment, index) =>
        distributionsOf(
          experiment.id,
          spaces[index],
          candidates.filter((candidate) => candidate.experimentId === experiment.id),
        ),
      ),
      latencyVersusFlops: latencyVersusFlops(candidates),
    };
  }

  private async loadExperiments(ids: readonly string[]): Promise<Experiment[]> {
    if (ids.length === 0 || ids.length > MAX_STRUCTURE_EXPERIMENTS) {
      throw new AkdError(
        'INVALID_INPUT',
        `experimentIds has ${ids.length} entries: pass from 1 to ${MAX_STRUCTURE_EXPERIMENTS} experiment ids.`,
      );
    }
    ids.forEach((id) => checkId(id, 'experiment'));
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated !== undefined) {
      throw new AkdError(
        'INVALID_INPUT',
        `experimentIds lists ${repeated} twice: pass each experiment once.`,
      );
    }

    const rows = await this.analysis.experimentsByIds(ids);
    const missing = ids.filter((id) => !rows.some((row) => row.id === id));
    if (missing.length > 0) {
      throw new AkdError('NOT_FOUND', `Experiment(s) ${missing.join(', ')} do not exist.`, { missing });
    }
    return ids.map((id) => rows.find((row) => row.id === id) as Experiment);
  }
}

/** Throws INVALID_INPUT unless every experiment's space encodes genomes with the same entries. */
function checkSameEncoding(experiments: readonly Experiment[], spaces: readonly SearchSpace[]): void {
  const reference = encodingLabels(spaces[0]).join(',');
  spaces.forEach((space, index) => {
    if (encodingLabels(space).join(',') !== reference) {
      throw new AkdError(
        'INVALID_INPUT',
        `Experiments ${experiments[0].id} and ${experiments[index].id} use search spaces whose genome encodings ` +
          'differ (other blocks or choices), so one PCA cannot place both. Query them separately.',
        { experimentIds: [experiments[0].id, experiments[index].id] },
      );
    }
  });
}

function project(
  candidates: readonly StructureCandidate[],
  spaceOf: (candidate: StructureCandidate) => SearchSpace,
  space: SearchSpace,
): { pca: ArchitecturePcaModel | null; reason: string | null } {
  if (candidates.length < 2) {
    return {
      pca: null,
      reason: `PCA needs at least two candidates, and the experiments have ${candidates.length}.`,
    };
  }
  const rows = candidates.map((candidate) =>
    encodeGenome(spaceOf(candidate), candidate.genome as unknown as Genome),
  );
  const first = rows[0].join(',');
  if (rows.every((row) => row.join(',') === first)) {
    return {
      pca: null,
      reason: `All ${rows.length} candidates encode to the same architecture, so there is no variance to project.`,
    };
  }

  const result = computePca2d(rows);
  const labels = encodingLabels(space);
  return {
    pca: {
      points: candidates.map((candidate, index) => ({
        candidateId: candidate.id,
        experimentId: candidate.experimentId,
        generation: candidate.generation,
        status: fromEnumKey(candidate.status) as CandidateStatusValue,
        x: result.coordinates[index][0],
        y: result.coordinates[index][1],
        reward: candidate.reward,
        accuracy: candidate.proxyAccuracy,
      })),
      components: [0, 1].map((axis) => ({
        index: axis + 1,
        variance: result.variances[axis],
        explainedVarianceRatio: result.explainedVarianceRatio[axis],
        topLoadings: topLoadings(result.loadings[axis], labels),
      })),
    },
    reason: null,
  };
}

function topLoadings(weights: readonly number[], labels: readonly string[]): EncodingLoadingModel[] {
  return weights
    .map((weight, index) => ({ label: labels[index], weight }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, TOP_LOADINGS);
}

function distributionsOf(
  experimentId: string,
  space: SearchSpace,
  candidates: readonly StructureCandidate[],
): ArchitectureDistributionModel[] {
  const byGeneration = new Map<number, Genome[]>();
  for (const candidate of candidates) {
    const genomes = byGeneration.get(candidate.generation) ?? [];
    genomes.push(candidate.genome as unknown as Genome);
    byGeneration.set(candidate.generation, genomes);
  }
  const generations = [...byGeneration].map(([generation, genomes]) => ({ generation, genomes }));
  return countArchitectureChoices(space, generations).map((entry) => ({
    experimentId,
    generation: entry.generation,
    genomes: entry.genomes,
    blocks: entry.blocks,
    ops: toShares(entry.op),
    kernelSizes: toShares(entry.kernelSize),
    seRatios: toShares(entry.seRatio),
    skips: toShares(entry.skip),
  }));
}

function toShares(counts: readonly ChoiceCount<string | number>[]): ChoiceShareModel[] {
  return counts.map((count) => ({ value: String(count.value), count: count.count, share: count.share }));
}

function latencyVersusFlops(candidates: readonly StructureCandidate[]): LatencyVersusFlopsModel {
  const points = candidates
    .filter((candidate) => candidate.status === 'completed' && candidate.latencyMs !== null)
    .map((candidate) => ({
      candidateId: candidate.id,
      experimentId: candidate.experimentId,
      flops: candidate.flops,
      latencyMs: candidate.latencyMs as number,
    }));
  if (points.length < 2) {
    return {
      points,
      fit: null,
      unavailableReason: `A line fit needs at least two completed candidates with a latency, and there are ${points.length}.`,
    };
  }
  if (points.every((point) => point.flops === points[0].flops)) {
    return {
      points,
      fit: null,
      unavailableReason: `Every completed candidate has ${points[0].flops} FLOPs, so latency per FLOP is undefined.`,
    };
  }
  // Number() rounds FLOP counts above 2^53, which changes the fit by less than one part in 10^15.
  const fit = fitLatencyToFlops(
    points.map((point) => ({ flops: Number(point.flops), latencyMs: point.latencyMs })),
  );
  return {
    points,
    fit: { slopeMsPerFlop: fit.slope, interceptMs: fit.intercept, rSquared: fit.rSquared, n: fit.n },
    unavailableReason: null,
  };
}

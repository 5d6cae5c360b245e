import { Inject, Injectable } from '@nestjs/common';
import { measureProxyFidelity } from '@akd/analysis';
import { toEnumKey, type Experiment } from '@akd/db';
import { DistillationMethodValue } from '../common/enums.js';
import { AnalysisRepository } from './analysis.repository.js';
import { byEpochsThenNewest } from './final-models.js';
import type { ProxyFidelityModel, ProxyFidelityPairModel } from './models/proxy-fidelity.model.js';

/** Minimum number of pairs for which Spearman's rho is reported, because with two pairs it is always -1 or 1. */
export const MIN_FIDELITY_PAIRS = 3;

@Injectable()
export class ProxyFidelityService {
  constructor(@Inject(AnalysisRepository) private readonly analysis: AnalysisRepository) {}

  /**
   * Pairs each candidate of the experiment that has a completed final model trained with `method`
   * (by default the training signal of its search: HINTON for distillation, HARD_LABEL otherwise)
   * with its proxy accuracy, and returns Spearman's rho over the pairs. A candidate with several
   * such models uses the one with the most epochs, the newest on a tie.
   */
  async measure(
    experiment: Experiment,
    method?: DistillationMethodValue | null,
  ): Promise<ProxyFidelityModel> {
    const chosen =
      method ??
      (experiment.searchBy === 'distillation'
        ? DistillationMethodValue.HINTON
        : DistillationMethodValue.HARD_LABEL);
    const models = (await this.analysis.finalModelsOfExperiment(experiment.id, toEnumKey(chosen))).sort(
      byEpochsThenNewest,
    );

    const pairs: ProxyFidelityPairModel[] = [];
    for (const model of models) {
      if (model.candidate === null || pairs.some((pair) => pair.candidateId === model.candidateId)) continue;
      pairs.push({
        candidateId: model.candidate.id,
        trainedModelId: model.id,
        proxyAccuracy: model.candidate.proxyAccuracy as number,
        testAccuracy: model.testTop1 as number,
        epochs: model.epochs,
      });
    }
    pairs.sort((a, b) => b.proxyAccuracy - a.proxyAccuracy || a.candidateId.localeCompare(b.candidateId));

    const reason = unavailableReason(pairs, chosen);
    return {
      experimentId: experiment.id,
      method: chosen,
      n: pairs.length,
      spearman: reason === null ? measureProxyFidelity(pairs.map(toAccuracies)).spearman : null,
      unavailableReason: reason,
      pairs,
    };
  }
}

function toAccuracies(pair: ProxyFidelityPairModel): { proxyAccuracy: number; finalAccuracy: number } {
  return { proxyAccuracy: pair.proxyAccuracy, finalAccuracy: pair.testAccuracy };
}

function unavailableReason(
  pairs: readonly ProxyFidelityPairModel[],
  method: DistillationMethodValue,
): string | null {
  if (pairs.length < MIN_FIDELITY_PAIRS) {
    const name = method.toUpperCase().replace('-', '_');
    return (
      `Spearman's rho needs at least ${MIN_FIDELITY_PAIRS} candidates with a completed ${name} final model, ` +
      `and this experiment has ${pairs.length}. Train more with trainFinalModels(method: ${name}).`
    );
  }
  if (pairs.every((pair) => pair.proxyAccuracy === pairs[0].proxyAccuracy)) {
    return `Every candidate has proxy accuracy ${pairs[0].proxyAccuracy}, so the ranks are undefined.`;
  }
  if (pairs.every((pair) => pair.testAccuracy === pairs[0].testAccuracy)) {
    return `Every final model has test accuracy ${pairs[0].testAccuracy}, so the ranks are undefined.`;
  }
  return null;
}

// GraphQL operations of the experiment page.
import { graphql } from '../../gql/index.js';

/** Page size of the candidates table. */
export const CANDIDATES_PAGE_SIZE = 20;

export const CandidateRowFragment = graphql(`
  fragment CandidateRow on Candidate {
    id
    generation
    status
    architecture
    proxyAccuracy
    proxyTop5
    latencyMs
    params
    flops
    reward
    trainMs
    host
    backend
    error
  }
`);

export const TrainedModelRowFragment = graphql(`
  fragment TrainedModelRow on TrainedModel {
    id
    candidateId
    method
    epochs
    status
    error
    testTop1
    testTop5
    latencyMs
    params
    downloadable
    createdAt
  }
`);

export const ExperimentSummaryFragment = graphql(`
  fragment ExperimentSummary on Experiment {
    id
    status
    error
    startedAt
    finishedAt
    updatedAt
    progress {
      budget
      completed
      failed
      inProgress
    }
  }
`);

export const ExperimentLiveFragment = graphql(`
  fragment ExperimentLive on Experiment {
    ...ExperimentSummary
    generations {
      index
      status
      rewardMax
      rewardMean
      rewardMin
      accuracyMean
      entropy
    }
    paretoFront {
      id
      generation
      proxyAccuracy
      latencyMs
      reward
      architecture
    }
    bestCandidates(k: 1) {
      id
      genome
      architecture
      proxyAccuracy
      proxyTop5
      latencyMs
      reward
      params
      flops
    }
    trainedModels {
      ...TrainedModelRow
    }
  }
`);

export const ExperimentPageQuery = graphql(`
  query ExperimentPage($id: ID!, $first: Int!, $orderBy: CandidateOrder!) {
    experiment(id: $id) {
      ...ExperimentLive
      name
      createdAt
      budget
      generationSize
      searchBy
      strategy
      strategyOptions
      latencyModel
      latencyTargetMs
      rewardAlpha
      rewardBeta
      seed
      searchSpace
      dataset {
        id
        name
        trainCount
      }
      teacher {
        id
        name
        family
        testAccuracy
      }
      kdSettings {
        lambda
        temperature
      }
      proxySettings {
        trainSize
        valSize
        epochs
        batchSize
        learningRate
        seed
      }
      candidates(first: $first, orderBy: $orderBy) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...CandidateRow
          }
        }
      }
    }
  }
`);

export const ExperimentLiveQuery = graphql(`
  query ExperimentLiveData($id: ID!) {
    experiment(id: $id) {
      ...ExperimentLive
    }
  }
`);

export const CandidatesPageQuery = graphql(`
  query CandidatesPage(
    $id: ID!
    $first: Int!
    $after: String
    $orderBy: CandidateOrder!
    $status: CandidateStatus
  ) {
    experiment(id: $id) {
      id
      candidates(first: $first, after: $after, orderBy: $orderBy, status: $status) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...CandidateRow
          }
        }
      }
    }
  }
`);

export const CandidatePointsQuery = graphql(`
  query CandidatePoints($id: ID!, $after: String) {
    experiment(id: $id) {
      id
      candidates(first: 100, after: $after, orderBy: CREATED_ASC, status: COMPLETED) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            generation
            proxyAccuracy
            latencyMs
          }
        }
      }
    }
  }
`);

export const ExperimentUpdatedSubscription = graphql(`
  subscription ExperimentUpdated($id: ID!) {
    experimentUpdated(id: $id) {
      ...ExperimentSummary
    }
  }
`);

export const CandidateFinishedSubscription = graphql(`
  subscription CandidateFinished($experimentId: ID!) {
    candidateFinished(experimentId: $experimentId) {
      ...CandidateRow
    }
  }
`);

export const PauseExperiment = graphql(`
  mutation PauseExperiment($id: ID!) {
    pauseExperiment(id: $id) {
      ...ExperimentSummary
    }
  }
`);

export const ResumeExperiment = graphql(`
  mutation ResumeExperiment($id: ID!) {
    resumeExperiment(id: $id) {
      ...ExperimentSummary
    }
  }
`);

export const CancelExperiment = graphql(`
  mutation CancelExperiment($id: ID!) {
    cancelExperiment(id: $id) {
      ...ExperimentSummary
    }
  }
`);

export const StartExperiment = graphql(`
  mutation StartExperiment($id: ID!) {
    startExperiment(id: $id) {
      ...ExperimentSummary
    }
  }
`);

export const DeleteExperiment = graphql(`
  mutation DeleteExperiment($id: ID!) {
    deleteExperiment(id: $id) {
      id
    }
  }
`);

export const TrainFinalModels = graphql(`
  mutation TrainFinalModels($experimentId: ID!, $topK: Int!, $epochs: Int!, $method: DistillationMethod!) {
    trainFinalModels(experimentId: $experimentId, topK: $topK, epochs: $epochs, method: $method) {
      ...TrainedModelRow
    }
  }
`);

export const ExperimentStructureQuery = graphql(`
  query ExperimentStructure($id: ID!) {
    experiment(id: $id) {
      id
      structure {
        candidateCount
        pcaUnavailableReason
        pca {
          components {
            index
            explainedVarianceRatio
            topLoadings {
              label
              weight
            }
          }
          points {
            candidateId
            generation
            x
            y
            accuracy
          }
        }
        distributions {
          generation
          genomes
          ops {
            value
            share
          }
        }
        latencyVersusFlops {
          unavailableReason
          fit {
            slopeMsPerFlop
            interceptMs
            rSquared
            n
          }
          points {
            flops
            latencyMs
          }
        }
      }
      proxyFidelity {
        n
        spearman
        unavailableReason
        pairs {
          candidateId
          proxyAccuracy
          testAccuracy
          epochs
        }
      }
    }
  }
`);

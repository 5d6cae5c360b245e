// GraphQL operations of the study pages.
import { graphql } from '../../gql/index.js';

export const StudiesQuery = graphql(`
  query Studies($after: String, $kind: StudyKind) {
    studies(first: 25, after: $after, kind: $kind) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          kind
          status
          complete
          createdAt
          dataset {
            name
          }
          progress {
            total
            completed
            failed
          }
        }
      }
    }
    teachers {
      id
      name
      status
      datasetId
    }
    experiments(first: 50) {
      edges {
        node {
          id
          name
          status
          searchBy
          datasetId
        }
      }
    }
  }
`);

export const StudyQuery = graphql(`
  query Study($id: ID!) {
    study(id: $id) {
      id
      name
      kind
      status
      complete
      createdAt
      assembledAt
      dataset {
        id
        name
      }
      progress {
        total
        completed
        failed
        pending
        running
        cancelled
      }
      missingCells {
        cellId
        key
        status
        error
        attempts
      }
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
      ... on RankingStudy {
        seeds
        incompleteReason
        tieRule
        teachers {
          key
          name
          teacherId
          testAccuracy
        }
        students {
          key
          label
          architecture
          params
          flops
        }
        matrix {
          teacher
          student
          mean
          standardDeviation
          seeds
        }
        rankings {
          teacher
          teacherName
          complete
          withinNoiseOfBest
          bestWithinSpread
          ranks {
            student
            rank
            mean
            tiedWith
          }
        }
        kendallTau {
          teacherA
          teacherB
          tau
        }
      }
      ... on AblationStudy {
        latencyTargetsMs
        teacher {
          name
          teacherId
        }
        rows {
          latencyTargetMs
          entries {
            searchBy
            trainBy
            status
            top1
            top5
            error
            experimentId
            trainedModelId
          }
        }
      }
      ... on KdFriendlinessStudy {
        akdExperimentId
        nasExperimentId
        topK
        generationResults {
          generation
          winningRatio
          averageGain
          wins
          ties
          comparisons
          akd {
            student
            gain
          }
          nas {
            student
            gain
          }
        }
      }
    }
  }
`);

export const CancelStudy = graphql(`
  mutation CancelStudy($id: ID!) {
    cancelStudy(id: $id) {
      id
      status
    }
  }
`);

export const CreateRankingStudy = graphql(`
  mutation CreateRankingStudy($input: CreateRankingStudyInput!) {
    createRankingStudy(input: $input) {
      id
    }
  }
`);

export const CreateAblationStudy = graphql(`
  mutation CreateAblationStudy($input: CreateAblationStudyInput!) {
    createAblationStudy(input: $input) {
      id
    }
  }
`);

export const CreateKdFriendlinessStudy = graphql(`
  mutation CreateKdFriendlinessStudy($input: CreateKdFriendlinessStudyInput!) {
    createKdFriendlinessStudy(input: $input) {
      id
    }
  }
`);

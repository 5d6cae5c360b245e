// GraphQL operations of the teacher pages.
import { graphql } from '../../gql/index.js';

export const TeacherRowFragment = graphql(`
  fragment TeacherRow on Teacher {
    id
    name
    family
    source
    status
    error
    testAccuracy
    testTop5
    params
    flops
    downloadable
    datasetId
    members {
      id
      name
    }
  }
`);

export const TeachersPageQuery = graphql(`
  query TeachersPage($datasetId: ID) {
    datasets {
      id
      name
    }
    teachers(datasetId: $datasetId) {
      ...TeacherRow
    }
  }
`);

export const TrainTeacher = graphql(`
  mutation TrainTeacher($input: TrainTeacherInput!) {
    trainTeacher(input: $input) {
      id
    }
  }
`);

export const CreateEnsembleTeacher = graphql(`
  mutation CreateEnsembleTeacher($input: CreateEnsembleTeacherInput!) {
    createEnsembleTeacher(input: $input) {
      id
    }
  }
`);

export const CreateSimilarityStudy = graphql(`
  mutation CreateSimilarityStudy($input: CreateSimilarityStudyInput!) {
    createSimilarityStudy(input: $input) {
      id
    }
  }
`);

/* eslint-disable */
import * as types from './graphql.js';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  '\n  query NewExperiment {\n    datasets {\n      id\n      name\n      trainCount\n      numClasses\n      inputHeight\n      inputWidth\n      inputChannels\n    }\n    teachers {\n      id\n      name\n      family\n      status\n      datasetId\n      testAccuracy\n    }\n    latencyProfiles {\n      id\n      name\n      backend\n      inputShape\n      flopsFit\n    }\n  }\n': typeof types.NewExperimentDocument;
  '\n  query Experiments($first: Int!, $after: String, $filter: ExperimentFilterInput) {\n    experiments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          strategy\n          latencyTargetMs\n          createdAt\n          dataset {\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          progress {\n            budget\n            completed\n            failed\n          }\n          bestCandidates(k: 1) {\n            id\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n': typeof types.ExperimentsDocument;
  '\n  query MeasureSpaces {\n    datasets {\n      id\n      name\n      inputHeight\n      inputWidth\n      inputChannels\n      numClasses\n    }\n    experiments(first: 50) {\n      edges {\n        node {\n          id\n          name\n          datasetId\n          searchSpace\n        }\n      }\n    }\n  }\n': typeof types.MeasureSpacesDocument;
  '\n  query LatencyProfiles {\n    latencyProfiles {\n      id\n      name\n      device\n      backend\n      source\n      inputShape\n      measuredAt\n      flopsFit\n      table\n    }\n  }\n': typeof types.LatencyProfilesDocument;
  '\n  query LeaderboardDatasets {\n    datasets {\n      id\n      name\n    }\n  }\n': typeof types.LeaderboardDatasetsDocument;
  '\n  query TeacherLeaderboards($datasetId: ID!, $bucketsMs: [Float!]!, $perBucket: Int!) {\n    teacherLeaderboards(datasetId: $datasetId, bucketsMs: $bucketsMs, perBucket: $perBucket) {\n      teacherName\n      teacherTestAccuracy\n      teacher {\n        id\n      }\n      buckets {\n        minLatencyMs\n        maxLatencyMs\n        candidates\n        entries {\n          rank\n          accuracy\n          accuracySource\n          proxyAccuracy\n          testAccuracy\n          trainedModelId\n          latencyMs\n          params\n          flops\n          gain\n          gainSource\n          hardLabelAccuracy\n          teacherAccuracyRetained\n          experimentId\n          candidate {\n            id\n            architecture\n          }\n        }\n      }\n    }\n  }\n': typeof types.TeacherLeaderboardsDocument;
  '\n  query Model($id: ID!) {\n    trainedModel(id: $id) {\n      id\n      candidateId\n      experimentId\n      teacherId\n      method\n      epochs\n      status\n      error\n      testTop1\n      testTop5\n      latencyMs\n      params\n      flops\n      settings\n      downloadable\n      createdAt\n      updatedAt\n    }\n  }\n': typeof types.ModelDocument;
  '\n  query ModelLineage($experimentId: ID!) {\n    experiment(id: $experimentId) {\n      id\n      name\n      searchBy\n      strategy\n      latencyModel\n      latencyTargetMs\n      searchSpace\n      dataset {\n        id\n        name\n      }\n      teacher {\n        id\n        name\n        testAccuracy\n      }\n      proxySettings {\n        trainSize\n        valSize\n        epochs\n      }\n      kdSettings {\n        lambda\n        temperature\n      }\n      bestCandidates(k: 50) {\n        id\n        genome\n        architecture\n        proxyAccuracy\n        latencyMs\n      }\n    }\n  }\n': typeof types.ModelLineageDocument;
  '\n  query Models($after: String) {\n    experiments(first: 50, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          dataset {\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          trainedModels {\n            id\n            method\n            epochs\n            status\n            testTop1\n            testTop5\n            latencyMs\n            params\n            downloadable\n            createdAt\n          }\n        }\n      }\n    }\n  }\n': typeof types.ModelsDocument;
  '\n  query Overview {\n    experiments(first: 10) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          strategy\n          latencyTargetMs\n          createdAt\n          dataset {\n            id\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          progress {\n            budget\n            completed\n            failed\n            inProgress\n          }\n          bestCandidates(k: 1) {\n            id\n            proxyAccuracy\n            latencyMs\n            reward\n          }\n        }\n      }\n    }\n    teachers {\n      id\n      name\n      family\n      source\n      status\n      testAccuracy\n      params\n      dataset {\n        id\n        name\n      }\n    }\n    workers {\n      id\n      host\n      pid\n      backend\n      alive\n      heartbeatAt\n      currentJob\n    }\n  }\n': typeof types.OverviewDocument;
  '\n  query RoleProbe {\n    apiTokens {\n      id\n    }\n  }\n': typeof types.RoleProbeDocument;
  '\n  query TeacherPage($id: ID!) {\n    teacher(id: $id) {\n      id\n      name\n      family\n      source\n      status\n      error\n      testAccuracy\n      testTop5\n      params\n      flops\n      config\n      trainingSettings\n      downloadable\n      createdAt\n      dataset {\n        id\n        name\n      }\n      members {\n        id\n        name\n        testAccuracy\n      }\n    }\n    experiments(first: 50, filter: { teacherId: $id }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          latencyTargetMs\n          bestCandidates(k: 1) {\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n': typeof types.TeacherPageDocument;
  '\n  query CompareDatasets {\n    datasets {\n      id\n      name\n    }\n  }\n': typeof types.CompareDatasetsDocument;
  '\n  query TeacherComparison($datasetId: ID!, $latencyTargetMs: Float!) {\n    teachers(datasetId: $datasetId) {\n      id\n      name\n      family\n      status\n      testAccuracy\n      params\n      flops\n    }\n    teacherAdvice(datasetId: $datasetId, latencyTargetMs: $latencyTargetMs) {\n      teacherName\n      rank\n      candidates\n      candidatesUnderTarget\n      bestAccuracy\n      teacher {\n        id\n        testAccuracy\n      }\n      best {\n        id\n        experimentId\n        architecture\n        latencyMs\n      }\n    }\n    studies(datasetId: $datasetId, kind: SIMILARITY, first: 5) {\n      edges {\n        node {\n          id\n          name\n          status\n          createdAt\n          ... on SimilarityStudy {\n            split\n            temperature\n            similarity {\n              names\n              meanKl\n              agreement\n              samples\n            }\n          }\n        }\n      }\n    }\n  }\n': typeof types.TeacherComparisonDocument;
  '\n  query Workers {\n    workers {\n      id\n      host\n      pid\n      backend\n      alive\n      heartbeatAt\n      startedAt\n      currentJob\n    }\n  }\n': typeof types.WorkersDocument;
  '\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateExperimentDocument;
  '\n  fragment CandidateRow on Candidate {\n    id\n    generation\n    status\n    architecture\n    proxyAccuracy\n    proxyTop5\n    latencyMs\n    params\n    flops\n    reward\n    trainMs\n    host\n    backend\n    error\n  }\n': typeof types.CandidateRowFragmentDoc;
  '\n  fragment TrainedModelRow on TrainedModel {\n    id\n    candidateId\n    method\n    epochs\n    status\n    error\n    testTop1\n    testTop5\n    latencyMs\n    params\n    downloadable\n    createdAt\n  }\n': typeof types.TrainedModelRowFragmentDoc;
  '\n  fragment ExperimentSummary on Experiment {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    updatedAt\n    progress {\n      budget\n      completed\n      failed\n      inProgress\n    }\n  }\n': typeof types.ExperimentSummaryFragmentDoc;
  '\n  fragment ExperimentLive on Experiment {\n    ...ExperimentSummary\n    generations {\n      index\n      status\n      rewardMax\n      rewardMean\n      rewardMin\n      accuracyMean\n      entropy\n    }\n    paretoFront {\n      id\n      generation\n      proxyAccuracy\n      latencyMs\n      reward\n      architecture\n    }\n    bestCandidates(k: 1) {\n      id\n      genome\n      architecture\n      proxyAccuracy\n      proxyTop5\n      latencyMs\n      reward\n      params\n      flops\n    }\n    trainedModels {\n      ...TrainedModelRow\n    }\n  }\n': typeof types.ExperimentLiveFragmentDoc;
  '\n  query ExperimentPage($id: ID!, $first: Int!, $orderBy: CandidateOrder!) {\n    experiment(id: $id) {\n      ...ExperimentLive\n      name\n      createdAt\n      budget\n      generationSize\n      searchBy\n      strategy\n      strategyOptions\n      latencyModel\n      latencyTargetMs\n      rewardAlpha\n      rewardBeta\n      seed\n      searchSpace\n      dataset {\n        id\n        name\n        trainCount\n      }\n      teacher {\n        id\n        name\n        family\n        testAccuracy\n      }\n      kdSettings {\n        lambda\n        temperature\n      }\n      proxySettings {\n        trainSize\n        valSize\n        epochs\n        batchSize\n        learningRate\n        seed\n      }\n      candidates(first: $first, orderBy: $orderBy) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...CandidateRow\n          }\n        }\n      }\n    }\n  }\n': typeof types.ExperimentPageDocument;
  '\n  query ExperimentLiveData($id: ID!) {\n    experiment(id: $id) {\n      ...ExperimentLive\n    }\n  }\n': typeof types.ExperimentLiveDataDocument;
  '\n  query CandidatesPage(\n    $id: ID!\n    $first: Int!\n    $after: String\n    $orderBy: CandidateOrder!\n    $status: CandidateStatus\n  ) {\n    experiment(id: $id) {\n      id\n      candidates(first: $first, after: $after, orderBy: $orderBy, status: $status) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...CandidateRow\n          }\n        }\n      }\n    }\n  }\n': typeof types.CandidatesPageDocument;
  '\n  query CandidatePoints($id: ID!, $after: String) {\n    experiment(id: $id) {\n      id\n      candidates(first: 100, after: $after, orderBy: CREATED_ASC, status: COMPLETED) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            generation\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n': typeof types.CandidatePointsDocument;
  '\n  subscription ExperimentUpdated($id: ID!) {\n    experimentUpdated(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n': typeof types.ExperimentUpdatedDocument;
  '\n  subscription CandidateFinished($experimentId: ID!) {\n    candidateFinished(experimentId: $experimentId) {\n      ...CandidateRow\n    }\n  }\n': typeof types.CandidateFinishedDocument;
  '\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n': typeof types.PauseExperimentDocument;
  '\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n': typeof types.ResumeExperimentDocument;
  '\n  mutation CancelExperiment($id: ID!) {\n    cancelExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n': typeof types.CancelExperimentDocument;
  '\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n': typeof types.StartExperimentDocument;
  '\n  mutation DeleteExperiment($id: ID!) {\n    deleteExperiment(id: $id) {\n      id\n    }\n  }\n': typeof types.DeleteExperimentDocument;
  '\n  mutation TrainFinalModels($experimentId: ID!, $topK: Int!, $epochs: Int!, $method: DistillationMethod!) {\n    trainFinalModels(experimentId: $experimentId, topK: $topK, epochs: $epochs, method: $method) {\n      ...TrainedModelRow\n    }\n  }\n': typeof types.TrainFinalModelsDocument;
  '\n  query ExperimentStructure($id: ID!) {\n    experiment(id: $id) {\n      id\n      structure {\n        candidateCount\n        pcaUnavailableReason\n        pca {\n          components {\n            index\n            explainedVarianceRatio\n            topLoadings {\n              label\n              weight\n            }\n          }\n          points {\n            candidateId\n            generation\n            x\n            y\n            accuracy\n          }\n        }\n        distributions {\n          generation\n          genomes\n          ops {\n            value\n            share\n          }\n        }\n        latencyVersusFlops {\n          unavailableReason\n          fit {\n            slopeMsPerFlop\n            interceptMs\n            rSquared\n            n\n          }\n          points {\n            flops\n            latencyMs\n          }\n        }\n      }\n      proxyFidelity {\n        n\n        spearman\n        unavailableReason\n        pairs {\n          candidateId\n          proxyAccuracy\n          testAccuracy\n          epochs\n        }\n      }\n    }\n  }\n': typeof types.ExperimentStructureDocument;
  '\n  mutation CreateLatencyProfile($input: CreateLatencyProfileInput!) {\n    createLatencyProfile(input: $input) {\n      id\n      name\n    }\n  }\n': typeof types.CreateLatencyProfileDocument;
  '\n  query Studies($after: String, $kind: StudyKind) {\n    studies(first: 25, after: $after, kind: $kind) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          complete\n          createdAt\n          dataset {\n            name\n          }\n          progress {\n            total\n            completed\n            failed\n          }\n        }\n      }\n    }\n    teachers {\n      id\n      name\n      status\n      datasetId\n    }\n    experiments(first: 50) {\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          datasetId\n        }\n      }\n    }\n  }\n': typeof types.StudiesDocument;
  '\n  query Study($id: ID!) {\n    study(id: $id) {\n      id\n      name\n      kind\n      status\n      complete\n      createdAt\n      assembledAt\n      dataset {\n        id\n        name\n      }\n      progress {\n        total\n        completed\n        failed\n        pending\n        running\n        cancelled\n      }\n      missingCells {\n        cellId\n        key\n        status\n        error\n        attempts\n      }\n      ... on SimilarityStudy {\n        split\n        temperature\n        similarity {\n          names\n          meanKl\n          agreement\n          samples\n        }\n      }\n      ... on RankingStudy {\n        seeds\n        incompleteReason\n        tieRule\n        teachers {\n          key\n          name\n          teacherId\n          testAccuracy\n        }\n        students {\n          key\n          label\n          architecture\n          params\n          flops\n        }\n        matrix {\n          teacher\n          student\n          mean\n          standardDeviation\n          seeds\n        }\n        rankings {\n          teacher\n          teacherName\n          complete\n          withinNoiseOfBest\n          bestWithinSpread\n          ranks {\n            student\n            rank\n            mean\n            tiedWith\n          }\n        }\n        kendallTau {\n          teacherA\n          teacherB\n          tau\n        }\n      }\n      ... on AblationStudy {\n        latencyTargetsMs\n        teacher {\n          name\n          teacherId\n        }\n        rows {\n          latencyTargetMs\n          entries {\n            searchBy\n            trainBy\n            status\n            top1\n            top5\n            error\n            experimentId\n            trainedModelId\n          }\n        }\n      }\n      ... on KdFriendlinessStudy {\n        akdExperimentId\n        nasExperimentId\n        topK\n        generationResults {\n          generation\n          winningRatio\n          averageGain\n          wins\n          ties\n          comparisons\n          akd {\n            student\n            gain\n          }\n          nas {\n            student\n            gain\n          }\n        }\n      }\n    }\n  }\n': typeof types.StudyDocument;
  '\n  mutation CancelStudy($id: ID!) {\n    cancelStudy(id: $id) {\n      id\n      status\n    }\n  }\n': typeof types.CancelStudyDocument;
  '\n  mutation CreateRankingStudy($input: CreateRankingStudyInput!) {\n    createRankingStudy(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateRankingStudyDocument;
  '\n  mutation CreateAblationStudy($input: CreateAblationStudyInput!) {\n    createAblationStudy(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateAblationStudyDocument;
  '\n  mutation CreateKdFriendlinessStudy($input: CreateKdFriendlinessStudyInput!) {\n    createKdFriendlinessStudy(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateKdFriendlinessStudyDocument;
  '\n  fragment TeacherRow on Teacher {\n    id\n    name\n    family\n    source\n    status\n    error\n    testAccuracy\n    testTop5\n    params\n    flops\n    downloadable\n    datasetId\n    members {\n      id\n      name\n    }\n  }\n': typeof types.TeacherRowFragmentDoc;
  '\n  query TeachersPage($datasetId: ID) {\n    datasets {\n      id\n      name\n    }\n    teachers(datasetId: $datasetId) {\n      ...TeacherRow\n    }\n  }\n': typeof types.TeachersPageDocument;
  '\n  mutation TrainTeacher($input: TrainTeacherInput!) {\n    trainTeacher(input: $input) {\n      id\n    }\n  }\n': typeof types.TrainTeacherDocument;
  '\n  mutation CreateEnsembleTeacher($input: CreateEnsembleTeacherInput!) {\n    createEnsembleTeacher(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateEnsembleTeacherDocument;
  '\n  mutation CreateSimilarityStudy($input: CreateSimilarityStudyInput!) {\n    createSimilarityStudy(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateSimilarityStudyDocument;
};
const documents: Documents = {
  '\n  query NewExperiment {\n    datasets {\n      id\n      name\n      trainCount\n      numClasses\n      inputHeight\n      inputWidth\n      inputChannels\n    }\n    teachers {\n      id\n      name\n      family\n      status\n      datasetId\n      testAccuracy\n    }\n    latencyProfiles {\n      id\n      name\n      backend\n      inputShape\n      flopsFit\n    }\n  }\n':
    types.NewExperimentDocument,
  '\n  query Experiments($first: Int!, $after: String, $filter: ExperimentFilterInput) {\n    experiments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          strategy\n          latencyTargetMs\n          createdAt\n          dataset {\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          progress {\n            budget\n            completed\n            failed\n          }\n          bestCandidates(k: 1) {\n            id\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n':
    types.ExperimentsDocument,
  '\n  query MeasureSpaces {\n    datasets {\n      id\n      name\n      inputHeight\n      inputWidth\n      inputChannels\n      numClasses\n    }\n    experiments(first: 50) {\n      edges {\n        node {\n          id\n          name\n          datasetId\n          searchSpace\n        }\n      }\n    }\n  }\n':
    types.MeasureSpacesDocument,
  '\n  query LatencyProfiles {\n    latencyProfiles {\n      id\n      name\n      device\n      backend\n      source\n      inputShape\n      measuredAt\n      flopsFit\n      table\n    }\n  }\n':
    types.LatencyProfilesDocument,
  '\n  query LeaderboardDatasets {\n    datasets {\n      id\n      name\n    }\n  }\n':
    types.LeaderboardDatasetsDocument,
  '\n  query TeacherLeaderboards($datasetId: ID!, $bucketsMs: [Float!]!, $perBucket: Int!) {\n    teacherLeaderboards(datasetId: $datasetId, bucketsMs: $bucketsMs, perBucket: $perBucket) {\n      teacherName\n      teacherTestAccuracy\n      teacher {\n        id\n      }\n      buckets {\n        minLatencyMs\n        maxLatencyMs\n        candidates\n        entries {\n          rank\n          accuracy\n          accuracySource\n          proxyAccuracy\n          testAccuracy\n          trainedModelId\n          latencyMs\n          params\n          flops\n          gain\n          gainSource\n          hardLabelAccuracy\n          teacherAccuracyRetained\n          experimentId\n          candidate {\n            id\n            architecture\n          }\n        }\n      }\n    }\n  }\n':
    types.TeacherLeaderboardsDocument,
  '\n  query Model($id: ID!) {\n    trainedModel(id: $id) {\n      id\n      candidateId\n      experimentId\n      teacherId\n      method\n      epochs\n      status\n      error\n      testTop1\n      testTop5\n      latencyMs\n      params\n      flops\n      settings\n      downloadable\n      createdAt\n      updatedAt\n    }\n  }\n':
    types.ModelDocument,
  '\n  query ModelLineage($experimentId: ID!) {\n    experiment(id: $experimentId) {\n      id\n      name\n      searchBy\n      strategy\n      latencyModel\n      latencyTargetMs\n      searchSpace\n      dataset {\n        id\n        name\n      }\n      teacher {\n        id\n        name\n        testAccuracy\n      }\n      proxySettings {\n        trainSize\n        valSize\n        epochs\n      }\n      kdSettings {\n        lambda\n        temperature\n      }\n      bestCandidates(k: 50) {\n        id\n        genome\n        architecture\n        proxyAccuracy\n        latencyMs\n      }\n    }\n  }\n':
    types.ModelLineageDocument,
  '\n  query Models($after: String) {\n    experiments(first: 50, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          dataset {\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          trainedModels {\n            id\n            method\n            epochs\n            status\n            testTop1\n            testTop5\n            latencyMs\n            params\n            downloadable\n            createdAt\n          }\n        }\n      }\n    }\n  }\n':
    types.ModelsDocument,
  '\n  query Overview {\n    experiments(first: 10) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          strategy\n          latencyTargetMs\n          createdAt\n          dataset {\n            id\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          progress {\n            budget\n            completed\n            failed\n            inProgress\n          }\n          bestCandidates(k: 1) {\n            id\n            proxyAccuracy\n            latencyMs\n            reward\n          }\n        }\n      }\n    }\n    teachers {\n      id\n      name\n      family\n      source\n      status\n      testAccuracy\n      params\n      dataset {\n        id\n        name\n      }\n    }\n    workers {\n      id\n      host\n      pid\n      backend\n      alive\n      heartbeatAt\n      currentJob\n    }\n  }\n':
    types.OverviewDocument,
  '\n  query RoleProbe {\n    apiTokens {\n      id\n    }\n  }\n': types.RoleProbeDocument,
  '\n  query TeacherPage($id: ID!) {\n    teacher(id: $id) {\n      id\n      name\n      family\n      source\n      status\n      error\n      testAccuracy\n      testTop5\n      params\n      flops\n      config\n      trainingSettings\n      downloadable\n      createdAt\n      dataset {\n        id\n        name\n      }\n      members {\n        id\n        name\n        testAccuracy\n      }\n    }\n    experiments(first: 50, filter: { teacherId: $id }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          latencyTargetMs\n          bestCandidates(k: 1) {\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n':
    types.TeacherPageDocument,
  '\n  query CompareDatasets {\n    datasets {\n      id\n      name\n    }\n  }\n':
    types.CompareDatasetsDocument,
  '\n  query TeacherComparison($datasetId: ID!, $latencyTargetMs: Float!) {\n    teachers(datasetId: $datasetId) {\n      id\n      name\n      family\n      status\n      testAccuracy\n      params\n      flops\n    }\n    teacherAdvice(datasetId: $datasetId, latencyTargetMs: $latencyTargetMs) {\n      teacherName\n      rank\n      candidates\n      candidatesUnderTarget\n      bestAccuracy\n      teacher {\n        id\n        testAccuracy\n      }\n      best {\n        id\n        experimentId\n        architecture\n        latencyMs\n      }\n    }\n    studies(datasetId: $datasetId, kind: SIMILARITY, first: 5) {\n      edges {\n        node {\n          id\n          name\n          status\n          createdAt\n          ... on SimilarityStudy {\n            split\n            temperature\n            similarity {\n              names\n              meanKl\n              agreement\n              samples\n            }\n          }\n        }\n      }\n    }\n  }\n':
    types.TeacherComparisonDocument,
  '\n  query Workers {\n    workers {\n      id\n      host\n      pid\n      backend\n      alive\n      heartbeatAt\n      startedAt\n      currentJob\n    }\n  }\n':
    types.WorkersDocument,
  '\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      id\n    }\n  }\n':
    types.CreateExperimentDocument,
  '\n  fragment CandidateRow on Candidate {\n    id\n    generation\n    status\n    architecture\n    proxyAccuracy\n    proxyTop5\n    latencyMs\n    params\n    flops\n    reward\n    trainMs\n    host\n    backend\n    error\n  }\n':
    types.CandidateRowFragmentDoc,
  '\n  fragment TrainedModelRow on TrainedModel {\n    id\n    candidateId\n    method\n    epochs\n    status\n    error\n    testTop1\n    testTop5\n    latencyMs\n    params\n    downloadable\n    createdAt\n  }\n':
    types.TrainedModelRowFragmentDoc,
  '\n  fragment ExperimentSummary on Experiment {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    updatedAt\n    progress {\n      budget\n      completed\n      failed\n      inProgress\n    }\n  }\n':
    types.ExperimentSummaryFragmentDoc,
  '\n  fragment ExperimentLive on Experiment {\n    ...ExperimentSummary\n    generations {\n      index\n      status\n      rewardMax\n      rewardMean\n      rewardMin\n      accuracyMean\n      entropy\n    }\n    paretoFront {\n      id\n      generation\n      proxyAccuracy\n      latencyMs\n      reward\n      architecture\n    }\n    bestCandidates(k: 1) {\n      id\n      genome\n      architecture\n      proxyAccuracy\n      proxyTop5\n      latencyMs\n      reward\n      params\n      flops\n    }\n    trainedModels {\n      ...TrainedModelRow\n    }\n  }\n':
    types.ExperimentLiveFragmentDoc,
  '\n  query ExperimentPage($id: ID!, $first: Int!, $orderBy: CandidateOrder!) {\n    experiment(id: $id) {\n      ...ExperimentLive\n      name\n      createdAt\n      budget\n      generationSize\n      searchBy\n      strategy\n      strategyOptions\n      latencyModel\n      latencyTargetMs\n      rewardAlpha\n      rewardBeta\n      seed\n      searchSpace\n      dataset {\n        id\n        name\n        trainCount\n      }\n      teacher {\n        id\n        name\n        family\n        testAccuracy\n      }\n      kdSettings {\n        lambda\n        temperature\n      }\n      proxySettings {\n        trainSize\n        valSize\n        epochs\n        batchSize\n        learningRate\n        seed\n      }\n      candidates(first: $first, orderBy: $orderBy) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...CandidateRow\n          }\n        }\n      }\n    }\n  }\n':
    types.ExperimentPageDocument,
  '\n  query ExperimentLiveData($id: ID!) {\n    experiment(id: $id) {\n      ...ExperimentLive\n    }\n  }\n':
    types.ExperimentLiveDataDocument,
  '\n  query CandidatesPage(\n    $id: ID!\n    $first: Int!\n    $after: String\n    $orderBy: CandidateOrder!\n    $status: CandidateStatus\n  ) {\n    experiment(id: $id) {\n      id\n      candidates(first: $first, after: $after, orderBy: $orderBy, status: $status) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...CandidateRow\n          }\n        }\n      }\n    }\n  }\n':
    types.CandidatesPageDocument,
  '\n  query CandidatePoints($id: ID!, $after: String) {\n    experiment(id: $id) {\n      id\n      candidates(first: 100, after: $after, orderBy: CREATED_ASC, status: COMPLETED) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            generation\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n':
    types.CandidatePointsDocument,
  '\n  subscription ExperimentUpdated($id: ID!) {\n    experimentUpdated(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n':
    types.ExperimentUpdatedDocument,
  '\n  subscription CandidateFinished($experimentId: ID!) {\n    candidateFinished(experimentId: $experimentId) {\n      ...CandidateRow\n    }\n  }\n':
    types.CandidateFinishedDocument,
  '\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n':
    types.PauseExperimentDocument,
  '\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n':
    types.ResumeExperimentDocument,
  '\n  mutation CancelExperiment($id: ID!) {\n    cancelExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n':
    types.CancelExperimentDocument,
  '\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n':
    types.StartExperimentDocument,
  '\n  mutation DeleteExperiment($id: ID!) {\n    deleteExperiment(id: $id) {\n      id\n    }\n  }\n':
    types.DeleteExperimentDocument,
  '\n  mutation TrainFinalModels($experimentId: ID!, $topK: Int!, $epochs: Int!, $method: DistillationMethod!) {\n    trainFinalModels(experimentId: $experimentId, topK: $topK, epochs: $epochs, method: $method) {\n      ...TrainedModelRow\n    }\n  }\n':
    types.TrainFinalModelsDocument,
  '\n  query ExperimentStructure($id: ID!) {\n    experiment(id: $id) {\n      id\n      structure {\n        candidateCount\n        pcaUnavailableReason\n        pca {\n          components {\n            index\n            explainedVarianceRatio\n            topLoadings {\n              label\n              weight\n            }\n          }\n          points {\n            candidateId\n            generation\n            x\n            y\n            accuracy\n          }\n        }\n        distributions {\n          generation\n          genomes\n          ops {\n            value\n            share\n          }\n        }\n        latencyVersusFlops {\n          unavailableReason\n          fit {\n            slopeMsPerFlop\n            interceptMs\n            rSquared\n            n\n          }\n          points {\n            flops\n            latencyMs\n          }\n        }\n      }\n      proxyFidelity {\n        n\n        spearman\n        unavailableReason\n        pairs {\n          candidateId\n          proxyAccuracy\n          testAccuracy\n          epochs\n        }\n      }\n    }\n  }\n':
    types.ExperimentStructureDocument,
  '\n  mutation CreateLatencyProfile($input: CreateLatencyProfileInput!) {\n    createLatencyProfile(input: $input) {\n      id\n      name\n    }\n  }\n':
    types.CreateLatencyProfileDocument,
  '\n  query Studies($after: String, $kind: StudyKind) {\n    studies(first: 25, after: $after, kind: $kind) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          complete\n          createdAt\n          dataset {\n            name\n          }\n          progress {\n            total\n            completed\n            failed\n          }\n        }\n      }\n    }\n    teachers {\n      id\n      name\n      status\n      datasetId\n    }\n    experiments(first: 50) {\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          datasetId\n        }\n      }\n    }\n  }\n':
    types.StudiesDocument,
  '\n  query Study($id: ID!) {\n    study(id: $id) {\n      id\n      name\n      kind\n      status\n      complete\n      createdAt\n      assembledAt\n      dataset {\n        id\n        name\n      }\n      progress {\n        total\n        completed\n        failed\n        pending\n        running\n        cancelled\n      }\n      missingCells {\n        cellId\n        key\n        status\n        error\n        attempts\n      }\n      ... on SimilarityStudy {\n        split\n        temperature\n        similarity {\n          names\n          meanKl\n          agreement\n          samples\n        }\n      }\n      ... on RankingStudy {\n        seeds\n        incompleteReason\n        tieRule\n        teachers {\n          key\n          name\n          teacherId\n          testAccuracy\n        }\n        students {\n          key\n          label\n          architecture\n          params\n          flops\n        }\n        matrix {\n          teacher\n          student\n          mean\n          standardDeviation\n          seeds\n        }\n        rankings {\n          teacher\n          teacherName\n          complete\n          withinNoiseOfBest\n          bestWithinSpread\n          ranks {\n            student\n            rank\n            mean\n            tiedWith\n          }\n        }\n        kendallTau {\n          teacherA\n          teacherB\n          tau\n        }\n      }\n      ... on AblationStudy {\n        latencyTargetsMs\n        teacher {\n          name\n          teacherId\n        }\n        rows {\n          latencyTargetMs\n          entries {\n            searchBy\n            trainBy\n            status\n            top1\n            top5\n            error\n            experimentId\n            trainedModelId\n          }\n        }\n      }\n      ... on KdFriendlinessStudy {\n        akdExperimentId\n        nasExperimentId\n        topK\n        generationResults {\n          generation\n          winningRatio\n          averageGain\n          wins\n          ties\n          comparisons\n          akd {\n            student\n            gain\n          }\n          nas {\n            student\n            gain\n          }\n        }\n      }\n    }\n  }\n':
    types.StudyDocument,
  '\n  mutation CancelStudy($id: ID!) {\n    cancelStudy(id: $id) {\n      id\n      status\n    }\n  }\n':
    types.CancelStudyDocument,
  '\n  mutation CreateRankingStudy($input: CreateRankingStudyInput!) {\n    createRankingStudy(input: $input) {\n      id\n    }\n  }\n':
    types.CreateRankingStudyDocument,
  '\n  mutation CreateAblationStudy($input: CreateAblationStudyInput!) {\n    createAblationStudy(input: $input) {\n      id\n    }\n  }\n':
    types.CreateAblationStudyDocument,
  '\n  mutation CreateKdFriendlinessStudy($input: CreateKdFriendlinessStudyInput!) {\n    createKdFriendlinessStudy(input: $input) {\n      id\n    }\n  }\n':
    types.CreateKdFriendlinessStudyDocument,
  '\n  fragment TeacherRow on Teacher {\n    id\n    name\n    family\n    source\n    status\n    error\n    testAccuracy\n    testTop5\n    params\n    flops\n    downloadable\n    datasetId\n    members {\n      id\n      name\n    }\n  }\n':
    types.TeacherRowFragmentDoc,
  '\n  query TeachersPage($datasetId: ID) {\n    datasets {\n      id\n      name\n    }\n    teachers(datasetId: $datasetId) {\n      ...TeacherRow\n    }\n  }\n':
    types.TeachersPageDocument,
  '\n  mutation TrainTeacher($input: TrainTeacherInput!) {\n    trainTeacher(input: $input) {\n      id\n    }\n  }\n':
    types.TrainTeacherDocument,
  '\n  mutation CreateEnsembleTeacher($input: CreateEnsembleTeacherInput!) {\n    createEnsembleTeacher(input: $input) {\n      id\n    }\n  }\n':
    types.CreateEnsembleTeacherDocument,
  '\n  mutation CreateSimilarityStudy($input: CreateSimilarityStudyInput!) {\n    createSimilarityStudy(input: $input) {\n      id\n    }\n  }\n':
    types.CreateSimilarityStudyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query NewExperiment {\n    datasets {\n      id\n      name\n      trainCount\n      numClasses\n      inputHeight\n      inputWidth\n      inputChannels\n    }\n    teachers {\n      id\n      name\n      family\n      status\n      datasetId\n      testAccuracy\n    }\n    latencyProfiles {\n      id\n      name\n      backend\n      inputShape\n      flopsFit\n    }\n  }\n',
): typeof import('./graphql.js').NewExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Experiments($first: Int!, $after: String, $filter: ExperimentFilterInput) {\n    experiments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          strategy\n          latencyTargetMs\n          createdAt\n          dataset {\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          progress {\n            budget\n            completed\n            failed\n          }\n          bestCandidates(k: 1) {\n            id\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MeasureSpaces {\n    datasets {\n      id\n      name\n      inputHeight\n      inputWidth\n      inputChannels\n      numClasses\n    }\n    experiments(first: 50) {\n      edges {\n        node {\n          id\n          name\n          datasetId\n          searchSpace\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').MeasureSpacesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query LatencyProfiles {\n    latencyProfiles {\n      id\n      name\n      device\n      backend\n      source\n      inputShape\n      measuredAt\n      flopsFit\n      table\n    }\n  }\n',
): typeof import('./graphql.js').LatencyProfilesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query LeaderboardDatasets {\n    datasets {\n      id\n      name\n    }\n  }\n',
): typeof import('./graphql.js').LeaderboardDatasetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TeacherLeaderboards($datasetId: ID!, $bucketsMs: [Float!]!, $perBucket: Int!) {\n    teacherLeaderboards(datasetId: $datasetId, bucketsMs: $bucketsMs, perBucket: $perBucket) {\n      teacherName\n      teacherTestAccuracy\n      teacher {\n        id\n      }\n      buckets {\n        minLatencyMs\n        maxLatencyMs\n        candidates\n        entries {\n          rank\n          accuracy\n          accuracySource\n          proxyAccuracy\n          testAccuracy\n          trainedModelId\n          latencyMs\n          params\n          flops\n          gain\n          gainSource\n          hardLabelAccuracy\n          teacherAccuracyRetained\n          experimentId\n          candidate {\n            id\n            architecture\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').TeacherLeaderboardsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Model($id: ID!) {\n    trainedModel(id: $id) {\n      id\n      candidateId\n      experimentId\n      teacherId\n      method\n      epochs\n      status\n      error\n      testTop1\n      testTop5\n      latencyMs\n      params\n      flops\n      settings\n      downloadable\n      createdAt\n      updatedAt\n    }\n  }\n',
): typeof import('./graphql.js').ModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ModelLineage($experimentId: ID!) {\n    experiment(id: $experimentId) {\n      id\n      name\n      searchBy\n      strategy\n      latencyModel\n      latencyTargetMs\n      searchSpace\n      dataset {\n        id\n        name\n      }\n      teacher {\n        id\n        name\n        testAccuracy\n      }\n      proxySettings {\n        trainSize\n        valSize\n        epochs\n      }\n      kdSettings {\n        lambda\n        temperature\n      }\n      bestCandidates(k: 50) {\n        id\n        genome\n        architecture\n        proxyAccuracy\n        latencyMs\n      }\n    }\n  }\n',
): typeof import('./graphql.js').ModelLineageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Models($after: String) {\n    experiments(first: 50, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          dataset {\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          trainedModels {\n            id\n            method\n            epochs\n            status\n            testTop1\n            testTop5\n            latencyMs\n            params\n            downloadable\n            createdAt\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').ModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Overview {\n    experiments(first: 10) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          strategy\n          latencyTargetMs\n          createdAt\n          dataset {\n            id\n            name\n          }\n          teacher {\n            id\n            name\n          }\n          progress {\n            budget\n            completed\n            failed\n            inProgress\n          }\n          bestCandidates(k: 1) {\n            id\n            proxyAccuracy\n            latencyMs\n            reward\n          }\n        }\n      }\n    }\n    teachers {\n      id\n      name\n      family\n      source\n      status\n      testAccuracy\n      params\n      dataset {\n        id\n        name\n      }\n    }\n    workers {\n      id\n      host\n      pid\n      backend\n      alive\n      heartbeatAt\n      currentJob\n    }\n  }\n',
): typeof import('./graphql.js').OverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query RoleProbe {\n    apiTokens {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').RoleProbeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TeacherPage($id: ID!) {\n    teacher(id: $id) {\n      id\n      name\n      family\n      source\n      status\n      error\n      testAccuracy\n      testTop5\n      params\n      flops\n      config\n      trainingSettings\n      downloadable\n      createdAt\n      dataset {\n        id\n        name\n      }\n      members {\n        id\n        name\n        testAccuracy\n      }\n    }\n    experiments(first: 50, filter: { teacherId: $id }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          latencyTargetMs\n          bestCandidates(k: 1) {\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').TeacherPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CompareDatasets {\n    datasets {\n      id\n      name\n    }\n  }\n',
): typeof import('./graphql.js').CompareDatasetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TeacherComparison($datasetId: ID!, $latencyTargetMs: Float!) {\n    teachers(datasetId: $datasetId) {\n      id\n      name\n      family\n      status\n      testAccuracy\n      params\n      flops\n    }\n    teacherAdvice(datasetId: $datasetId, latencyTargetMs: $latencyTargetMs) {\n      teacherName\n      rank\n      candidates\n      candidatesUnderTarget\n      bestAccuracy\n      teacher {\n        id\n        testAccuracy\n      }\n      best {\n        id\n        experimentId\n        architecture\n        latencyMs\n      }\n    }\n    studies(datasetId: $datasetId, kind: SIMILARITY, first: 5) {\n      edges {\n        node {\n          id\n          name\n          status\n          createdAt\n          ... on SimilarityStudy {\n            split\n            temperature\n            similarity {\n              names\n              meanKl\n              agreement\n              samples\n            }\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').TeacherComparisonDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Workers {\n    workers {\n      id\n      host\n      pid\n      backend\n      alive\n      heartbeatAt\n      startedAt\n      currentJob\n    }\n  }\n',
): typeof import('./graphql.js').WorkersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').CreateExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment CandidateRow on Candidate {\n    id\n    generation\n    status\n    architecture\n    proxyAccuracy\n    proxyTop5\n    latencyMs\n    params\n    flops\n    reward\n    trainMs\n    host\n    backend\n    error\n  }\n',
): typeof import('./graphql.js').CandidateRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment TrainedModelRow on TrainedModel {\n    id\n    candidateId\n    method\n    epochs\n    status\n    error\n    testTop1\n    testTop5\n    latencyMs\n    params\n    downloadable\n    createdAt\n  }\n',
): typeof import('./graphql.js').TrainedModelRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment ExperimentSummary on Experiment {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    updatedAt\n    progress {\n      budget\n      completed\n      failed\n      inProgress\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentSummaryFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment ExperimentLive on Experiment {\n    ...ExperimentSummary\n    generations {\n      index\n      status\n      rewardMax\n      rewardMean\n      rewardMin\n      accuracyMean\n      entropy\n    }\n    paretoFront {\n      id\n      generation\n      proxyAccuracy\n      latencyMs\n      reward\n      architecture\n    }\n    bestCandidates(k: 1) {\n      id\n      genome\n      architecture\n      proxyAccuracy\n      proxyTop5\n      latencyMs\n      reward\n      params\n      flops\n    }\n    trainedModels {\n      ...TrainedModelRow\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentLiveFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ExperimentPage($id: ID!, $first: Int!, $orderBy: CandidateOrder!) {\n    experiment(id: $id) {\n      ...ExperimentLive\n      name\n      createdAt\n      budget\n      generationSize\n      searchBy\n      strategy\n      strategyOptions\n      latencyModel\n      latencyTargetMs\n      rewardAlpha\n      rewardBeta\n      seed\n      searchSpace\n      dataset {\n        id\n        name\n        trainCount\n      }\n      teacher {\n        id\n        name\n        family\n        testAccuracy\n      }\n      kdSettings {\n        lambda\n        temperature\n      }\n      proxySettings {\n        trainSize\n        valSize\n        epochs\n        batchSize\n        learningRate\n        seed\n      }\n      candidates(first: $first, orderBy: $orderBy) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...CandidateRow\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ExperimentLiveData($id: ID!) {\n    experiment(id: $id) {\n      ...ExperimentLive\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentLiveDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CandidatesPage(\n    $id: ID!\n    $first: Int!\n    $after: String\n    $orderBy: CandidateOrder!\n    $status: CandidateStatus\n  ) {\n    experiment(id: $id) {\n      id\n      candidates(first: $first, after: $after, orderBy: $orderBy, status: $status) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...CandidateRow\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').CandidatesPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CandidatePoints($id: ID!, $after: String) {\n    experiment(id: $id) {\n      id\n      candidates(first: 100, after: $after, orderBy: CREATED_ASC, status: COMPLETED) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            generation\n            proxyAccuracy\n            latencyMs\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').CandidatePointsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ExperimentUpdated($id: ID!) {\n    experimentUpdated(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription CandidateFinished($experimentId: ID!) {\n    candidateFinished(experimentId: $experimentId) {\n      ...CandidateRow\n    }\n  }\n',
): typeof import('./graphql.js').CandidateFinishedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n',
): typeof import('./graphql.js').PauseExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n',
): typeof import('./graphql.js').ResumeExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CancelExperiment($id: ID!) {\n    cancelExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n',
): typeof import('./graphql.js').CancelExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentSummary\n    }\n  }\n',
): typeof import('./graphql.js').StartExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation DeleteExperiment($id: ID!) {\n    deleteExperiment(id: $id) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').DeleteExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TrainFinalModels($experimentId: ID!, $topK: Int!, $epochs: Int!, $method: DistillationMethod!) {\n    trainFinalModels(experimentId: $experimentId, topK: $topK, epochs: $epochs, method: $method) {\n      ...TrainedModelRow\n    }\n  }\n',
): typeof import('./graphql.js').TrainFinalModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ExperimentStructure($id: ID!) {\n    experiment(id: $id) {\n      id\n      structure {\n        candidateCount\n        pcaUnavailableReason\n        pca {\n          components {\n            index\n            explainedVarianceRatio\n            topLoadings {\n              label\n              weight\n            }\n          }\n          points {\n            candidateId\n            generation\n            x\n            y\n            accuracy\n          }\n        }\n        distributions {\n          generation\n          genomes\n          ops {\n            value\n            share\n          }\n        }\n        latencyVersusFlops {\n          unavailableReason\n          fit {\n            slopeMsPerFlop\n            interceptMs\n            rSquared\n            n\n          }\n          points {\n            flops\n            latencyMs\n          }\n        }\n      }\n      proxyFidelity {\n        n\n        spearman\n        unavailableReason\n        pairs {\n          candidateId\n          proxyAccuracy\n          testAccuracy\n          epochs\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').ExperimentStructureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateLatencyProfile($input: CreateLatencyProfileInput!) {\n    createLatencyProfile(input: $input) {\n      id\n      name\n    }\n  }\n',
): typeof import('./graphql.js').CreateLatencyProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Studies($after: String, $kind: StudyKind) {\n    studies(first: 25, after: $after, kind: $kind) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          complete\n          createdAt\n          dataset {\n            name\n          }\n          progress {\n            total\n            completed\n            failed\n          }\n        }\n      }\n    }\n    teachers {\n      id\n      name\n      status\n      datasetId\n    }\n    experiments(first: 50) {\n      edges {\n        node {\n          id\n          name\n          status\n          searchBy\n          datasetId\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').StudiesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Study($id: ID!) {\n    study(id: $id) {\n      id\n      name\n      kind\n      status\n      complete\n      createdAt\n      assembledAt\n      dataset {\n        id\n        name\n      }\n      progress {\n        total\n        completed\n        failed\n        pending\n        running\n        cancelled\n      }\n      missingCells {\n        cellId\n        key\n        status\n        error\n        attempts\n      }\n      ... on SimilarityStudy {\n        split\n        temperature\n        similarity {\n          names\n          meanKl\n          agreement\n          samples\n        }\n      }\n      ... on RankingStudy {\n        seeds\n        incompleteReason\n        tieRule\n        teachers {\n          key\n          name\n          teacherId\n          testAccuracy\n        }\n        students {\n          key\n          label\n          architecture\n          params\n          flops\n        }\n        matrix {\n          teacher\n          student\n          mean\n          standardDeviation\n          seeds\n        }\n        rankings {\n          teacher\n          teacherName\n          complete\n          withinNoiseOfBest\n          bestWithinSpread\n          ranks {\n            student\n            rank\n            mean\n            tiedWith\n          }\n        }\n        kendallTau {\n          teacherA\n          teacherB\n          tau\n        }\n      }\n      ... on AblationStudy {\n        latencyTargetsMs\n        teacher {\n          name\n          teacherId\n        }\n        rows {\n          latencyTargetMs\n          entries {\n            searchBy\n            trainBy\n            status\n            top1\n            top5\n            error\n            experimentId\n            trainedModelId\n          }\n        }\n      }\n      ... on KdFriendlinessStudy {\n        akdExperimentId\n        nasExperimentId\n        topK\n        generationResults {\n          generation\n          winningRatio\n          averageGain\n          wins\n          ties\n          comparisons\n          akd {\n            student\n            gain\n          }\n          nas {\n            student\n            gain\n          }\n        }\n      }\n    }\n  }\n',
): typeof import('./graphql.js').StudyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CancelStudy($id: ID!) {\n    cancelStudy(id: $id) {\n      id\n      status\n    }\n  }\n',
): typeof import('./graphql.js').CancelStudyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateRankingStudy($input: CreateRankingStudyInput!) {\n    createRankingStudy(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').CreateRankingStudyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateAblationStudy($input: CreateAblationStudyInput!) {\n    createAblationStudy(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').CreateAblationStudyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateKdFriendlinessStudy($input: CreateKdFriendlinessStudyInput!) {\n    createKdFriendlinessStudy(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').CreateKdFriendlinessStudyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment TeacherRow on Teacher {\n    id\n    name\n    family\n    source\n    status\n    error\n    testAccuracy\n    testTop5\n    params\n    flops\n    downloadable\n    datasetId\n    members {\n      id\n      name\n    }\n  }\n',
): typeof import('./graphql.js').TeacherRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TeachersPage($datasetId: ID) {\n    datasets {\n      id\n      name\n    }\n    teachers(datasetId: $datasetId) {\n      ...TeacherRow\n    }\n  }\n',
): typeof import('./graphql.js').TeachersPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TrainTeacher($input: TrainTeacherInput!) {\n    trainTeacher(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').TrainTeacherDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateEnsembleTeacher($input: CreateEnsembleTeacherInput!) {\n    createEnsembleTeacher(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').CreateEnsembleTeacherDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateSimilarityStudy($input: CreateSimilarityStudyInput!) {\n    createSimilarityStudy(input: $input) {\n      id\n    }\n  }\n',
): typeof import('./graphql.js').CreateSimilarityStudyDocument;

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

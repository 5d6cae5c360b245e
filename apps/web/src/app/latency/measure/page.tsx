import type { Metadata } from 'next';
import { defaultSearchSpace, type SearchSpace } from '@akd/search-space';
import { chooseDataset } from '../../../components/dataset-picker.js';
import { EmptyState, ErrorBox } from '../../../components/feedback.js';
import { MeasurePanel } from '../../../features/latency/measure-panel.js';
import { graphql } from '../../../gql/index.js';
import { load, requireSession } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'Measure latency' };

const MeasureSpacesQuery = graphql(`
  query MeasureSpaces {
    datasets {
      id
      name
      inputHeight
      inputWidth
      inputChannels
      numClasses
    }
    experiments(first: 50) {
      edges {
        node {
          id
          name
          datasetId
          searchSpace
        }
      }
    }
  }
`);

export default async function MeasureLatencyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession();
  const params = await searchParams;
  const result = await load(MeasureSpacesQuery, {});
  if (!result.ok) return <ErrorBox error={result.error} title="Datasets could not be loaded" />;
  const { datasets, experiments } = result.data;
  const experiment = experiments.edges.map((e) => e.node).find((e) => e.id === params.experiment);
  const dataset = chooseDataset(datasets, experiment?.datasetId ?? params.dataset);
  if (!dataset)
    return (
      <EmptyState title="No dataset is registered">
        A profile is measured for a dataset&apos;s input shape.
      </EmptyState>
    );
  const space: SearchSpace = experiment
    ? (experiment.searchSpace as SearchSpace)
    : defaultSearchSpace(
        [dataset.inputHeight, dataset.inputWidth, dataset.inputChannels],
        dataset.numClasses,
      );
  const label = experiment
    ? `the search space of ${experiment.name}`
    : `the standard search space of ${dataset.name}`;

  return (
    <>
      <h1>Measure a latency profile in this browser</h1>
      <form className="toolbar" method="get">
        <div className="field">
          <label htmlFor="dataset">Standard space of dataset</label>
          <select id="dataset" name="dataset" defaultValue={dataset.id}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="experiment">or the space of an experiment</label>
          <select id="experiment" name="experiment" defaultValue={experiment?.id ?? ''}>
            <option value="">None</option>
            {experiments.edges.map(({ node }) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Choose</button>
      </form>
      <MeasurePanel space={space} spaceLabel={label} canEdit={session.role === 'EDITOR'} />
    </>
  );
}

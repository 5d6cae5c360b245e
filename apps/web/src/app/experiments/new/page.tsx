import type { Metadata } from 'next';
import { EmptyState, ErrorBox } from '../../../components/feedback.js';
import { ExperimentForm } from '../../../features/experiments/experiment-form.js';
import { graphql } from '../../../gql/index.js';
import { load, requireSession } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'New experiment' };

const NewExperimentQuery = graphql(`
  query NewExperiment {
    datasets {
      id
      name
      trainCount
      numClasses
      inputHeight
      inputWidth
      inputChannels
    }
    teachers {
      id
      name
      family
      status
      datasetId
      testAccuracy
    }
    latencyProfiles {
      id
      name
      backend
      inputShape
      flopsFit
    }
  }
`);

export default async function NewExperimentPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession();
  if (session.role !== 'EDITOR') {
    return (
      <>
        <h1>New experiment</h1>
        <EmptyState title="This token is read-only">
          Creating experiments needs an editor token.
          <form action="/sign-out" method="post">
            <button type="submit">Sign in with another token</button>
          </form>
        </EmptyState>
      </>
    );
  }
  const params = await searchParams;
  const result = await load(NewExperimentQuery, {});
  if (!result.ok) return <ErrorBox error={result.error} title="Datasets and teachers could not be loaded" />;
  const { datasets, teachers, latencyProfiles } = result.data;
  const ready = teachers.filter((teacher) => teacher.status === 'READY');
  const teacherParam = typeof params.teacher === 'string' ? params.teacher : '';

  return (
    <>
      <h1>New experiment</h1>
      {datasets.length === 0 ? (
        <EmptyState title="No dataset is registered">
          Register one with POST /api/datasets, or run <code>npm run demo</code>, which registers
          Fashion-MNIST.
        </EmptyState>
      ) : (
        <ExperimentForm
          datasets={datasets.map((d) => ({
            id: d.id,
            name: d.name,
            trainCount: d.trainCount,
            numClasses: d.numClasses,
            inputShape: `${d.inputHeight}×${d.inputWidth}×${d.inputChannels}`,
          }))}
          teachers={ready.map((t) => ({
            id: t.id,
            name: t.name,
            family: t.family,
            datasetId: t.datasetId,
            testAccuracy: t.testAccuracy ?? null,
          }))}
          profiles={latencyProfiles.map((p) => ({
            id: p.id,
            name: p.name,
            backend: p.backend,
            inputShape: p.inputShape.join('×'),
            hasFlopsFit: p.flopsFit !== null && p.flopsFit !== undefined,
          }))}
          initialTeacherId={
            ready.some((t) => t.id === teacherParam)
              ? teacherParam
              : (ready.find((t) => t.datasetId === datasets[0]?.id)?.id ?? '')
          }
        />
      )}
    </>
  );
}

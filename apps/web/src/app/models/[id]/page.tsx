import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { expandGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { ArchitectureDiagram } from '../../../components/architecture-diagram.js';
import { ErrorBox, StatusBadge } from '../../../components/feedback.js';
import { graphql } from '../../../gql/index.js';
import { compact, dateTime, enumLabel, ms, percent } from '../../../lib/format.js';
import { load } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'Model' };

const ModelQuery = graphql(`
  query Model($id: ID!) {
    trainedModel(id: $id) {
      id
      candidateId
      experimentId
      teacherId
      method
      epochs
      status
      error
      testTop1
      testTop5
      latencyMs
      params
      flops
      settings
      downloadable
      createdAt
      updatedAt
    }
  }
`);

const ModelLineageQuery = graphql(`
  query ModelLineage($experimentId: ID!) {
    experiment(id: $experimentId) {
      id
      name
      searchBy
      strategy
      latencyModel
      latencyTargetMs
      searchSpace
      dataset {
        id
        name
      }
      teacher {
        id
        name
        testAccuracy
      }
      proxySettings {
        trainSize
        valSize
        epochs
      }
      kdSettings {
        lambda
        temperature
      }
      bestCandidates(k: 50) {
        id
        genome
        architecture
        proxyAccuracy
        latencyMs
      }
    }
  }
`);

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await load(ModelQuery, { id });
  if (!result.ok) {
    if (result.error.code === 'BAD_USER_INPUT' || result.error.code === 'NOT_FOUND') notFound();
    return <ErrorBox error={result.error} title="The model could not be loaded" />;
  }
  const model = result.data.trainedModel;
  if (!model) notFound();
  const lineage = model.experimentId
    ? await load(ModelLineageQuery, { experimentId: model.experimentId })
    : null;
  const experiment = lineage?.ok ? lineage.data.experiment : null;
  const candidate = experiment?.bestCandidates.find((c) => c.id === model.candidateId);
  let diagram = null;
  if (experiment && candidate) {
    try {
      const plan = expandGenome(experiment.searchSpace as SearchSpace, candidate.genome as Genome);
      diagram = (
        <ArchitectureDiagram
          plan={plan}
          genome={candidate.genome as Genome}
          label={`Blocks of ${candidate.architecture ?? 'the student'}`}
        />
      );
    } catch (error) {
      diagram = <p className="error">The architecture cannot be drawn: {(error as Error).message}</p>;
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>Model {model.id.slice(0, 8)}</h1>
        <StatusBadge status={model.status} />
        <div className="actions">
          {model.downloadable && (
            <a className="button primary" href={`/api/models/${model.id}/download`} download>
              Download .zip
            </a>
          )}
        </div>
      </div>
      {model.error && <ErrorBox error={model.error} title="Training failed" />}
      <div className="grid-2">
        <section className="panel" aria-labelledby="result-heading">
          <h2 id="result-heading">Result</h2>
          <dl className="kv">
            <dt>Test accuracy</dt>
            <dd>
              top-1 {percent(model.testTop1)}, top-5 {percent(model.testTop5)}
            </dd>
            <dt>Latency</dt>
            <dd>{ms(model.latencyMs)}</dd>
            <dt>Size</dt>
            <dd>
              {compact(model.params)} parameters, {compact(model.flops)} FLOPs
            </dd>
            <dt>Training</dt>
            <dd>
              {enumLabel(model.method)}, {model.epochs} epochs
            </dd>
            <dt>Settings</dt>
            <dd className="mono">{JSON.stringify(model.settings)}</dd>
            <dt>Created</dt>
            <dd>{dateTime(model.createdAt)}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="lineage-heading">
          <h2 id="lineage-heading">Lineage</h2>
          {experiment ? (
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
                  'none (hard labels)'
                )}
              </dd>
              <dt>Experiment</dt>
              <dd>
                <Link href={`/experiments/${experiment.id}`}>{experiment.name}</Link>:{' '}
                {enumLabel(experiment.strategy)} search by {enumLabel(experiment.searchBy)}
              </dd>
              <dt>Search settings</dt>
              <dd>
                target {ms(experiment.latencyTargetMs)} ({enumLabel(experiment.latencyModel)}), proxy{' '}
                {experiment.proxySettings.trainSize}/{experiment.proxySettings.valSize} images ×{' '}
                {experiment.proxySettings.epochs} epochs, KD λ {experiment.kdSettings.lambda} τ{' '}
                {experiment.kdSettings.temperature}
              </dd>
              <dt>Candidate</dt>
              <dd className="mono">
                {candidate
                  ? `${candidate.architecture} (proxy ${percent(candidate.proxyAccuracy)}, ${ms(candidate.latencyMs)})`
                  : (model.candidateId ?? 'unknown')}
              </dd>
            </dl>
          ) : (
            <p className="help">
              {model.experimentId
                ? 'The experiment could not be loaded.'
                : 'The experiment of this model was deleted; the model stays.'}
            </p>
          )}
        </section>
      </div>
      {diagram && (
        <section className="panel" aria-labelledby="arch-heading">
          <h2 id="arch-heading">Architecture</h2>
          {diagram}
        </section>
      )}
    </>
  );
}

import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { expandGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { ArchitectureDiagram } from '../../../components/architecture-diagram.js';
import { ErrorBox } from '../../../components/feedback.js';
import { ExperimentView } from '../../../features/experiments/experiment-view.js';
import { CANDIDATES_PAGE_SIZE, ExperimentPageQuery } from '../../../features/experiments/queries.js';
import { load, requireSession } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'Experiment' };

/** Draws the genome in its space, or explains why it cannot be expanded. */
function diagramOf(space: unknown, genome: unknown, label: string) {
  try {
    const plan = expandGenome(space as SearchSpace, genome as Genome);
    return <ArchitectureDiagram plan={plan} genome={genome as Genome} label={label} />;
  } catch (error) {
    return <p className="error">The architecture cannot be drawn: {(error as Error).message}</p>;
  }
}

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const result = await load(ExperimentPageQuery, { id, first: CANDIDATES_PAGE_SIZE, orderBy: 'REWARD_DESC' });
  if (!result.ok) {
    // An id that is not a UUID is rejected as invalid input: it names no experiment either.
    if (result.error.code === 'BAD_USER_INPUT' || result.error.code === 'NOT_FOUND') notFound();
    return <ErrorBox error={result.error} title="The experiment could not be loaded" />;
  }
  const experiment = result.data.experiment;
  if (!experiment) notFound();
  const best = experiment.bestCandidates[0];

  return (
    <ExperimentView
      initial={experiment}
      canEdit={session.role === 'EDITOR'}
      bestArchitecture={
        best
          ? diagramOf(
              experiment.searchSpace,
              best.genome,
              `Blocks of the best candidate: ${best.architecture ?? ''}`,
            )
          : null
      }
    />
  );
}

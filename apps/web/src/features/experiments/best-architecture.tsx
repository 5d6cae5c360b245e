'use client';
import { useEffect, useState, type ReactNode } from 'react';
import type { Genome, NetworkPlan } from '@akd/search-space';
import { ArchitectureDiagram } from '../../components/architecture-diagram.js';
import { expandArchitecture } from './actions.js';

/**
 * Draws the best candidate. The server draws the one known when the page loads. When a better
 * candidate arrives live, a server function expands its plan and this component draws it.
 */
export function BestArchitecture({
  candidateId,
  initialCandidateId,
  initialDiagram,
  space,
  genome,
  label,
}: {
  candidateId: string;
  initialCandidateId: string | undefined;
  initialDiagram: ReactNode;
  space: unknown;
  genome: unknown;
  label: string;
}) {
  const [drawn, setDrawn] = useState<
    { id: string; plan: NetworkPlan } | { id: string; error: string } | null
  >(null);

  useEffect(() => {
    if (candidateId === initialCandidateId) return;
    let cancelled = false;
    void expandArchitecture(space, genome).then((result) => {
      if (!cancelled) setDrawn({ id: candidateId, ...result });
    });
    return () => {
      cancelled = true;
    };
  }, [candidateId, initialCandidateId, space, genome]);

  if (candidateId === initialCandidateId) return <>{initialDiagram}</>;
  if (!drawn || drawn.id !== candidateId) return <p className="help">Drawing the architecture…</p>;
  if ('error' in drawn) return <p className="error">{drawn.error}</p>;
  return <ArchitectureDiagram plan={drawn.plan} genome={genome as Genome} label={label} />;
}

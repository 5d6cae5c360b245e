'use client';
// Live updates of an experiment. The browser opens a server-sent event stream on the dashboard
// (/live/experiments/<id>). The dashboard's server keeps the graphql-ws subscriptions to the API
// open with the session's token, so the token never reaches the page's scripts.
import { useEffect, useRef } from 'react';
import { endSession } from '../../lib/client.js';
import type { CandidateFinishedSubscription, ExperimentUpdatedSubscription } from '../../gql/graphql.js';

/** An experiment as experimentUpdated sends it. */
export type ExperimentUpdate = ExperimentUpdatedSubscription['experimentUpdated'];

/** A candidate as candidateFinished sends it. */
export type FinishedCandidate = CandidateFinishedSubscription['candidateFinished'];

/** Handlers of {@link useExperimentLive}. */
export interface LiveHandlers {
  onExperiment: (experiment: ExperimentUpdate) => void;
  onCandidate: (candidate: FinishedCandidate) => void;
  /** Reports a failed stream with its reason, or null once events arrive again. The browser reconnects by itself unless the stream ended. */
  onError: (message: string | null) => void;
}

/** Subscribes to experimentUpdated and candidateFinished of experiment `id` while `enabled`. */
export function useExperimentLive(id: string, enabled: boolean, handlers: LiveHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/live/experiments/${encodeURIComponent(id)}`);
    source.addEventListener('experiment', (event) => {
      latest.current.onError(null);
      latest.current.onExperiment(JSON.parse((event as MessageEvent<string>).data) as ExperimentUpdate);
    });
    source.addEventListener('candidate', (event) => {
      latest.current.onCandidate(JSON.parse((event as MessageEvent<string>).data) as FinishedCandidate);
    });
    source.addEventListener('failure', (event) => {
      const failure = JSON.parse((event as MessageEvent<string>).data) as { code: string; message: string };
      if (failure.code === 'UNAUTHENTICATED') {
        source.close();
        endSession();
        return;
      }
      latest.current.onError(failure.message);
    });
    source.addEventListener('end', () => source.close());
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED)
        latest.current.onError('Live updates stopped. Reload the page.');
      else latest.current.onError('Live updates are reconnecting…');
    };
    return () => source.close();
  }, [id, enabled]);
}

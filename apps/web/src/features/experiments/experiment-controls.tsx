'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ErrorBox } from '../../components/feedback.js';
import type { ExperimentStatus } from '../../gql/graphql.js';
import { messageOf, request } from '../../lib/client.js';
import type { ExperimentUpdate } from './live.js';
import {
  CancelExperiment,
  DeleteExperiment,
  PauseExperiment,
  ResumeExperiment,
  StartExperiment,
} from './queries.js';

/** Statuses from which each control applies, as the API allows the transitions. */
const ALLOWED: Record<'pause' | 'resume' | 'cancel' | 'start' | 'delete', ExperimentStatus[]> = {
  pause: ['QUEUED', 'RUNNING'],
  resume: ['PAUSED'],
  cancel: ['QUEUED', 'RUNNING', 'PAUSED', 'FAILED'],
  start: ['FAILED'],
  delete: ['PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'],
};

/** Pause, resume, cancel, retry and delete buttons for an editor; each shows only where the API allows it. */
export function ExperimentControls({
  id,
  name,
  status,
  onChange,
}: {
  id: string;
  name: string;
  status: ExperimentStatus;
  onChange: (experiment: ExperimentUpdate) => void;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<ExperimentUpdate | null>) => {
    setBusy(true);
    setError(null);
    try {
      const experiment = await action();
      if (experiment) onChange(experiment);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (
      !window.confirm(`Delete experiment "${name}" with its generations and candidates? Trained models stay.`)
    )
      return;
    await run(async () => {
      await request(DeleteExperiment, { id });
      router.push('/experiments');
      return null;
    });
  };

  return (
    <div className="actions" role="group" aria-label="Experiment controls">
      {ALLOWED.pause.includes(status) && (
        <button
          type="button"
          disabled={busy}
          onClick={() => run(async () => (await request(PauseExperiment, { id })).pauseExperiment)}
        >
          Pause
        </button>
      )}
      {ALLOWED.resume.includes(status) && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => run(async () => (await request(ResumeExperiment, { id })).resumeExperiment)}
        >
          Resume
        </button>
      )}
      {ALLOWED.start.includes(status) && (
        <button
          type="button"
          disabled={busy}
          onClick={() => run(async () => (await request(StartExperiment, { id })).startExperiment)}
        >
          Retry
        </button>
      )}
      {ALLOWED.cancel.includes(status) && (
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(`Cancel experiment "${name}"? It cannot run again.`)) {
              void run(async () => (await request(CancelExperiment, { id })).cancelExperiment);
            }
          }}
        >
          Cancel
        </button>
      )}
      {ALLOWED.delete.includes(status) && (
        <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
          Delete
        </button>
      )}
      {error && <ErrorBox error={error} title="The change was rejected" />}
    </div>
  );
}

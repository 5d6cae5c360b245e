'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ErrorBox } from '../../components/feedback.js';
import { messageOf, request } from '../../lib/client.js';
import { CancelStudy } from './queries.js';

/** Cancels the pending cells of a study after a confirmation. */
export function CancelStudyButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    if (
      !window.confirm(
        `Cancel the pending cells of study "${name}"? Running cells finish but are not retried.`,
      )
    )
      return;
    try {
      await request(CancelStudy, { id });
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <>
      <button type="button" className="danger" onClick={() => void cancel()}>
        Cancel study
      </button>
      {error && <ErrorBox error={error} title="Not cancelled" />}
    </>
  );
}

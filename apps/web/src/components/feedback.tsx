import type { ReactNode } from 'react';
import type { ApiErrorInfo } from '../lib/api-error.js';

/** The API's message for a failed request, announced to screen readers. */
export function ErrorBox({
  error,
  title = 'The request failed',
}: {
  error: ApiErrorInfo | string;
  title?: string;
}) {
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div role="alert" className="error-box">
      <strong>{title}.</strong> {message}
    </div>
  );
}

/** What a section shows when it has nothing yet, with the next step to take. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-next">{children}</div>}
    </div>
  );
}

const STATUS_TONES: Record<string, string> = {
  COMPLETED: 'ok',
  READY: 'ok',
  RUNNING: 'active',
  TRAINING: 'active',
  QUEUED: 'waiting',
  PENDING: 'waiting',
  PAUSED: 'waiting',
  FAILED: 'bad',
  CANCELLED: 'muted',
};

/** A status such as RUNNING as a coloured label; the text carries the meaning, not only the colour. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span className={`badge ${STATUS_TONES[status] ?? 'muted'}`}>{label ?? status.toLowerCase()}</span>;
}

/** A progress bar with its value in text. */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <div className="progress">
      <progress value={value} max={Math.max(1, max)} aria-label={label} />
      <span>
        {value} / {max} ({Math.round(share * 100)}%)
      </span>
    </div>
  );
}

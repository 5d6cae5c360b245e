import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '../../../components/auto-refresh.js';
import { ErrorBox, ProgressBar, StatusBadge } from '../../../components/feedback.js';
import { CancelStudyButton } from '../../../features/studies/cancel-study.js';
import { StudyQuery } from '../../../features/studies/queries.js';
import { StudyResults } from '../../../features/studies/study-view.js';
import { dateTime, enumLabel } from '../../../lib/format.js';
import { load, requireSession } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'Study' };

export default async function StudyPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const result = await load(StudyQuery, { id });
  if (!result.ok) {
    if (result.error.code === 'BAD_USER_INPUT' || result.error.code === 'NOT_FOUND') notFound();
    return <ErrorBox error={result.error} title="The study could not be loaded" />;
  }
  const study = result.data.study;
  if (!study) notFound();
  const running = study.status === 'PENDING' || study.status === 'RUNNING';

  return (
    <>
      <div className="page-head">
        <h1>{study.name}</h1>
        <StatusBadge status={study.status} />
        <div className="actions">
          {running && <AutoRefresh seconds={5} />}
          {running && session.role === 'EDITOR' && <CancelStudyButton id={study.id} name={study.name} />}
        </div>
      </div>
      <section className="panel">
        <dl className="kv">
          <dt>Kind</dt>
          <dd>{enumLabel(study.kind)}</dd>
          <dt>Dataset</dt>
          <dd>{study.dataset.name}</dd>
          <dt>Cells</dt>
          <dd>
            <ProgressBar
              value={study.progress.completed + study.progress.failed}
              max={study.progress.total}
              label="Cells finished"
            />
            {study.progress.running} running, {study.progress.pending} pending, {study.progress.failed}{' '}
            failed, {study.progress.cancelled} cancelled
          </dd>
          <dt>Created</dt>
          <dd>{dateTime(study.createdAt)}</dd>
        </dl>
        {study.missingCells.some((cell) => cell.error) && (
          <details>
            <summary>Cells with errors</summary>
            <ul>
              {study.missingCells
                .filter((cell) => cell.error)
                .map((cell) => (
                  <li key={cell.cellId}>
                    <span className="mono">{cell.key}</span> ({cell.status.toLowerCase()}, {cell.attempts}{' '}
                    attempts): {cell.error}
                  </li>
                ))}
            </ul>
          </details>
        )}
      </section>
      <StudyResults study={study} />
    </>
  );
}

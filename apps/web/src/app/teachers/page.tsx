import type { Metadata } from 'next';
import Link from 'next/link';
import { chooseDataset, DatasetPicker } from '../../components/dataset-picker.js';
import { EmptyState, ErrorBox } from '../../components/feedback.js';
import {
  EnsembleTeacherForm,
  ImportTeacherForm,
  TrainTeacherForm,
} from '../../features/teachers/teacher-forms.js';
import { TeachersTable } from '../../features/teachers/teachers-table.js';
import { TeachersPageQuery } from '../../features/teachers/queries.js';
import { load, requireSession } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Teachers' };

export default async function TeachersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession();
  const params = await searchParams;
  const all = await load(TeachersPageQuery, { datasetId: null });
  if (!all.ok) return <ErrorBox error={all.error} title="Teachers could not be loaded" />;
  const dataset = chooseDataset(all.data.datasets, params.dataset);
  if (!dataset) {
    return (
      <>
        <h1>Teachers</h1>
        <EmptyState title="No dataset is registered">
          Register one with POST /api/datasets or run <code>npm run demo</code>; teachers belong to a dataset.
        </EmptyState>
      </>
    );
  }
  const teachers = all.data.teachers.filter((t) => t.datasetId === dataset.id);
  const names = new Map(all.data.datasets.map((d) => [d.id, d.name]));
  const canEdit = session.role === 'EDITOR';

  return (
    <>
      <div className="page-head">
        <h1>Teachers</h1>
        <div className="actions">
          <Link href={`/teachers/compare?dataset=${dataset.id}`} className="button">
            Compare teachers
          </Link>
          <Link href={`/leaderboards?dataset=${dataset.id}`} className="button">
            Leaderboards
          </Link>
        </div>
      </div>
      <DatasetPicker datasets={all.data.datasets} current={dataset.id} />
      <section className="panel">
        <TeachersTable teachers={teachers} datasetNames={names} />
      </section>
      {canEdit ? (
        <div className="grid-3">
          <TrainTeacherForm datasetId={dataset.id} />
          <ImportTeacherForm datasetId={dataset.id} />
          <EnsembleTeacherForm
            datasetId={dataset.id}
            members={teachers
              .filter((t) => t.status === 'READY')
              .map((t) => ({ id: t.id, name: t.name, datasetId: t.datasetId }))}
          />
        </div>
      ) : (
        <p className="help">Training, importing and ensembling teachers needs an editor token.</p>
      )}
    </>
  );
}

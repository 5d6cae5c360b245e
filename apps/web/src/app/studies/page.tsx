import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, ErrorBox, ProgressBar, StatusBadge } from '../../components/feedback.js';
import { StudiesQuery } from '../../features/studies/queries.js';
import {
  AblationStudyForm,
  KdFriendlinessStudyForm,
  RankingStudyForm,
} from '../../features/studies/study-forms.js';
import type { StudyKind } from '../../gql/graphql.js';
import { dateTime, enumLabel } from '../../lib/format.js';
import { load, requireSession } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Studies' };

const KINDS: StudyKind[] = ['SIMILARITY', 'RANKING', 'ABLATION', 'KD_FRIENDLINESS'];

export default async function StudiesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession();
  const params = await searchParams;
  const kind = KINDS.find((k) => k === params.kind) ?? null;
  const after = typeof params.after === 'string' ? params.after : null;
  const result = await load(StudiesQuery, { after, kind });
  if (!result.ok) return <ErrorBox error={result.error} title="Studies could not be loaded" />;
  const { studies, teachers, experiments } = result.data;
  const ready = teachers.filter((t) => t.status === 'READY');
  const searches = experiments.edges
    .map(({ node }) => node)
    .filter((e) => e.status === 'COMPLETED' || e.status === 'RUNNING');

  return (
    <>
      <h1>Studies</h1>
      <form className="toolbar" method="get">
        <div className="field">
          <label htmlFor="kind">Kind</label>
          <select id="kind" name="kind" defaultValue={kind ?? ''}>
            <option value="">Any</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {enumLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <section className="panel">
        {studies.edges.length === 0 ? (
          <EmptyState title="No studies yet">
            Compare teachers on the <Link href="/teachers/compare">teacher comparison</Link> page, or start a
            ranking, ablation or KD-friendliness study below.
          </EmptyState>
        ) : (
          <table className="data" aria-label="Studies">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Dataset</th>
                <th scope="col">Status</th>
                <th scope="col">Cells</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {studies.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <Link href={`/studies/${node.id}`}>{node.name}</Link>
                  </td>
                  <td>{enumLabel(node.kind)}</td>
                  <td>{node.dataset.name}</td>
                  <td>
                    <StatusBadge status={node.status} />
                  </td>
                  <td>
                    <ProgressBar
                      value={node.progress.completed + node.progress.failed}
                      max={node.progress.total}
                      label={`Cells of ${node.name} finished`}
                    />
                  </td>
                  <td>{dateTime(node.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {studies.pageInfo.hasNextPage && studies.pageInfo.endCursor && (
          <p>
            <Link
              className="button"
              href={`/studies?${new URLSearchParams({ ...(kind ? { kind } : {}), after: studies.pageInfo.endCursor }).toString()}`}
            >
              Older studies
            </Link>
          </p>
        )}
      </section>
      {session.role === 'EDITOR' && (
        <>
          <section className="panel">
            <details>
              <summary>Start a ranking study (teacher × student matrix)</summary>
              <RankingStudyForm
                teachers={ready.map((t) => ({ id: t.id, name: t.name, datasetId: t.datasetId }))}
                experiments={searches.map((e) => ({
                  id: e.id,
                  name: e.name,
                  searchBy: e.searchBy,
                  datasetId: e.datasetId,
                }))}
              />
            </details>
          </section>
          <section className="panel">
            <details>
              <summary>Start an ablation study (searching by × training by)</summary>
              <AblationStudyForm
                teachers={ready.map((t) => ({ id: t.id, name: t.name, datasetId: t.datasetId }))}
              />
            </details>
          </section>
          <section className="panel">
            <details>
              <summary>Start a KD-friendliness study (distillation search against hard-label search)</summary>
              <KdFriendlinessStudyForm
                experiments={searches.map((e) => ({
                  id: e.id,
                  name: e.name,
                  searchBy: e.searchBy,
                  datasetId: e.datasetId,
                }))}
              />
            </details>
          </section>
        </>
      )}
    </>
  );
}

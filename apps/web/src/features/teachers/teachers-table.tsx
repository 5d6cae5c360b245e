import Link from 'next/link';
import { EmptyState, StatusBadge } from '../../components/feedback.js';
import type { TeacherRowFragment } from '../../gql/graphql.js';
import { compact, enumLabel, percent } from '../../lib/format.js';

/** Teachers with source, accuracy, size and a download link. */
export function TeachersTable({
  teachers,
  datasetNames,
}: {
  teachers: readonly TeacherRowFragment[];
  datasetNames: Map<string, string>;
}) {
  if (teachers.length === 0) {
    return (
      <EmptyState title="No teachers for this dataset">
        Train a zoo teacher or import logits below, or run <code>npm run demo</code> to import the shipped
        ones.
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data" aria-label="Teachers">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Dataset</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Test top-1
            </th>
            <th scope="col" className="num">
              Test top-5
            </th>
            <th scope="col" className="num">
              Params
            </th>
            <th scope="col" className="num">
              FLOPs
            </th>
            <th scope="col">Files</th>
          </tr>
        </thead>
        <tbody>
          {teachers.map((teacher) => (
            <tr key={teacher.id} data-teacher-id={teacher.id}>
              <td>
                <Link href={`/teachers/${teacher.id}`}>{teacher.name}</Link>
                <div className="help">
                  {teacher.family}
                  {teacher.members.length > 0 &&
                    `: ${teacher.members.map((member) => member.name).join(' + ')}`}
                </div>
              </td>
              <td>{datasetNames.get(teacher.datasetId) ?? teacher.datasetId}</td>
              <td>{enumLabel(teacher.source)}</td>
              <td>
                <StatusBadge status={teacher.status} />
                {teacher.error && <div className="error">{teacher.error}</div>}
              </td>
              <td className="num">{percent(teacher.testAccuracy)}</td>
              <td className="num">{percent(teacher.testTop5)}</td>
              <td className="num">{compact(teacher.params)}</td>
              <td className="num">{compact(teacher.flops)}</td>
              <td>
                {teacher.downloadable ? (
                  <a href={`/api/teachers/${teacher.id}/download`}>Download .zip</a>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

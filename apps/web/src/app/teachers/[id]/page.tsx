import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState, ErrorBox, StatusBadge } from '../../../components/feedback.js';
import { graphql } from '../../../gql/index.js';
import { compact, dateTime, enumLabel, ms, percent } from '../../../lib/format.js';
import { load } from '../../../lib/server/api.js';

export const metadata: Metadata = { title: 'Teacher' };

const TeacherPageQuery = graphql(`
  query TeacherPage($id: ID!) {
    teacher(id: $id) {
      id
      name
      family
      source
      status
      error
      testAccuracy
      testTop5
      params
      flops
      config
      trainingSettings
      downloadable
      createdAt
      dataset {
        id
        name
      }
      members {
        id
        name
        testAccuracy
      }
    }
    experiments(first: 50, filter: { teacherId: $id }) {
      totalCount
      edges {
        node {
          id
          name
          status
          latencyTargetMs
          bestCandidates(k: 1) {
            proxyAccuracy
            latencyMs
          }
        }
      }
    }
  }
`);

export default async function TeacherPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await load(TeacherPageQuery, { id });
  if (!result.ok) {
    if (result.error.code === 'BAD_USER_INPUT' || result.error.code === 'NOT_FOUND') notFound();
    return <ErrorBox error={result.error} title="The teacher could not be loaded" />;
  }
  const { teacher, experiments } = result.data;
  if (!teacher) notFound();

  return (
    <>
      <div className="page-head">
        <h1>Teacher {teacher.name}</h1>
        <StatusBadge status={teacher.status} />
        <div className="actions">
          {teacher.downloadable && (
            <a className="button" href={`/api/teachers/${teacher.id}/download`}>
              Download .zip
            </a>
          )}
          <Link className="button" href={`/teachers/compare?dataset=${teacher.dataset.id}`}>
            Compare teachers
          </Link>
          <Link className="button primary" href={`/experiments/new?teacher=${teacher.id}`}>
            Search a student
          </Link>
        </div>
      </div>
      {teacher.error && <ErrorBox error={teacher.error} title="Training failed" />}
      <section className="panel">
        <dl className="kv">
          <dt>Dataset</dt>
          <dd>{teacher.dataset.name}</dd>
          <dt>Family</dt>
          <dd>{teacher.family}</dd>
          <dt>Source</dt>
          <dd>{enumLabel(teacher.source)}</dd>
          <dt>Test accuracy</dt>
          <dd>
            top-1 {percent(teacher.testAccuracy)}, top-5 {percent(teacher.testTop5)}
          </dd>
          <dt>Size</dt>
          <dd>
            {compact(teacher.params)} parameters, {compact(teacher.flops)} FLOPs
          </dd>
          {teacher.members.length > 0 && (
            <>
              <dt>Members</dt>
              <dd>
                {teacher.members.map((member, index) => (
                  <span key={member.id}>
                    {index > 0 && ' + '}
                    <Link href={`/teachers/${member.id}`}>{member.name}</Link> ({percent(member.testAccuracy)}
                    )
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{dateTime(teacher.createdAt)}</dd>
          <dt>Architecture</dt>
          <dd className="mono">{JSON.stringify(teacher.config)}</dd>
          <dt>Training</dt>
          <dd className="mono">{JSON.stringify(teacher.trainingSettings)}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="searches-heading">
        <h2 id="searches-heading">Searches that distill from it</h2>
        {experiments.edges.length === 0 ? (
          <EmptyState title="No search uses this teacher yet">
            <Link href={`/experiments/new?teacher=${teacher.id}`}>Search a student</Link> that learns from it.
          </EmptyState>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Experiment</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Target
                </th>
                <th scope="col" className="num">
                  Best proxy accuracy
                </th>
                <th scope="col" className="num">
                  Its latency
                </th>
              </tr>
            </thead>
            <tbody>
              {experiments.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <Link href={`/experiments/${node.id}`}>{node.name}</Link>
                  </td>
                  <td>
                    <StatusBadge status={node.status} />
                  </td>
                  <td className="num">{ms(node.latencyTargetMs)}</td>
                  <td className="num">{percent(node.bestCandidates[0]?.proxyAccuracy)}</td>
                  <td className="num">{ms(node.bestCandidates[0]?.latencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

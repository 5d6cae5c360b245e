import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, ErrorBox } from '../../components/feedback.js';
import { graphql } from '../../gql/index.js';
import { dateTime, enumLabel, num } from '../../lib/format.js';
import { load } from '../../lib/server/api.js';

export const metadata: Metadata = { title: 'Latency profiles' };

const LatencyProfilesQuery = graphql(`
  query LatencyProfiles {
    latencyProfiles {
      id
      name
      device
      backend
      source
      inputShape
      measuredAt
      flopsFit
      table
    }
  }
`);

/** Number of part entries of a stored table: a flat object, or a whole engine profile with `entries`. */
function entryCount(table: unknown): number {
  if (typeof table !== 'object' || table === null) return 0;
  const entries = (table as { entries?: unknown }).entries;
  return Object.keys(typeof entries === 'object' && entries !== null ? entries : table).length;
}

export default async function LatencyPage() {
  const result = await load(LatencyProfilesQuery, {});
  return (
    <>
      <div className="page-head">
        <h1>Latency profiles</h1>
        <div className="actions">
          <Link className="button primary" href="/latency/measure">
            Measure in this browser
          </Link>
        </div>
      </div>
      <p className="help">
        A profile is a table of per-layer latencies measured on one device and backend. TABLE experiments sum
        its entries; FLOPS experiments use its linear fit of latency against FLOPs.
      </p>
      {!result.ok ? (
        <ErrorBox error={result.error} title="Profiles could not be loaded" />
      ) : result.data.latencyProfiles.length === 0 ? (
        <EmptyState title="No latency profiles yet">
          <Link href="/latency/measure">Measure one in this browser</Link>, or on a worker machine with{' '}
          <code>npm run akd -- latency profile</code>.
        </EmptyState>
      ) : (
        <section className="panel">
          <table className="data" aria-label="Latency profiles">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Device</th>
                <th scope="col">Backend</th>
                <th scope="col">Source</th>
                <th scope="col">Input</th>
                <th scope="col" className="num">
                  Entries
                </th>
                <th scope="col">FLOPs fit</th>
                <th scope="col">Measured</th>
              </tr>
            </thead>
            <tbody>
              {result.data.latencyProfiles.map((profile) => {
                const fit = profile.flopsFit as {
                  slopeMsPerFlop?: number;
                  interceptMs?: number;
                  r2?: number;
                } | null;
                return (
                  <tr key={profile.id}>
                    <td>{profile.name}</td>
                    <td>{profile.device}</td>
                    <td>{profile.backend}</td>
                    <td>{enumLabel(profile.source)}</td>
                    <td>{profile.inputShape.join('×')}</td>
                    <td className="num">{entryCount(profile.table)}</td>
                    <td>
                      {fit && typeof fit.slopeMsPerFlop === 'number'
                        ? `${num(fit.interceptMs ?? null, 3)} ms + ${num(fit.slopeMsPerFlop * 1e6, 3)} ms/MFLOP, R² ${num(fit.r2 ?? null, 3)}`
                        : '–'}
                    </td>
                    <td>{dateTime(profile.measuredAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

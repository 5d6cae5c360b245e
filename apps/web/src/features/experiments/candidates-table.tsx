'use client';
// Candidates of an experiment, sorted and paginated by the API (keyset cursors), one page at a time.
import { useEffect, useRef, useState } from 'react';
import { ErrorBox, StatusBadge } from '../../components/feedback.js';
import type { CandidateOrder, CandidateRowFragment, CandidateStatus } from '../../gql/graphql.js';
import { messageOf, request } from '../../lib/client.js';
import { compact, duration, ms, num, percent } from '../../lib/format.js';
import { CANDIDATES_PAGE_SIZE, CandidatesPageQuery } from './queries.js';

/** A page of candidates as the API returns it. */
export interface CandidatePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: CandidateRowFragment }[];
}

const ORDER_LABELS: Record<CandidateOrder, string> = {
  REWARD_DESC: 'Reward, highest first',
  ACCURACY_DESC: 'Proxy accuracy, highest first',
  LATENCY_ASC: 'Latency, lowest first',
  PARAMS_ASC: 'Parameters, fewest first',
  CREATED_ASC: 'Creation, oldest first',
};

const STATUS_OPTIONS: CandidateStatus[] = ['COMPLETED', 'FAILED', 'TRAINING', 'PENDING'];

interface SortHeaderProps {
  label: string;
  order: CandidateOrder | null;
  current: CandidateOrder;
  onSort: (order: CandidateOrder) => void;
  numeric?: boolean;
}

function SortHeader({ label, order, current, onSort, numeric }: SortHeaderProps) {
  const className = numeric ? 'num' : undefined;
  if (!order) {
    return (
      <th scope="col" className={className}>
        {label}
      </th>
    );
  }
  const active = order === current;
  const direction = order.endsWith('_DESC') ? 'descending' : 'ascending';
  return (
    <th scope="col" className={className} aria-sort={active ? direction : 'none'}>
      <button
        type="button"
        className="link-button sort"
        onClick={() => onSort(order)}
        aria-label={`Sort by ${ORDER_LABELS[order]}`}
      >
        {label}
        {active ? (direction === 'descending' ? ' ↓' : ' ↑') : ''}
      </button>
    </th>
  );
}

/**
 * The table keeps the cursors of the pages before the current one, so that "Previous" reloads
 * that page. `refreshKey` changes when a candidate finishes; the first page then reloads.
 */
export function CandidatesTable({
  experimentId,
  initial,
  refreshKey,
  onRendered,
}: {
  experimentId: string;
  initial: CandidatePage;
  refreshKey: number;
  onRendered?: () => void;
}) {
  const [order, setOrder] = useState<CandidateOrder>('REWARD_DESC');
  const [status, setStatus] = useState<CandidateStatus | ''>('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<CandidatePage>(initial);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstLoad = useRef(true);
  const after = cursors[cursors.length - 1];

  const rendered = useRef(onRendered);
  useEffect(() => {
    // The first page arrives rendered from the server, so the table is complete once mounted.
    rendered.current?.();
  }, []);

  useEffect(() => {
    if (firstLoad.current) {
      firstLoad.current = false;
      return;
    }
    // A finished candidate only changes what is shown on the first page of the default view.
    let cancelled = false;
    setLoading(true);
    request(CandidatesPageQuery, {
      id: experimentId,
      first: CANDIDATES_PAGE_SIZE,
      after,
      orderBy: order,
      status: status === '' ? null : status,
    })
      .then((data) => {
        if (cancelled || !data.experiment) return;
        setPage(data.experiment.candidates);
        setError(null);
      })
      .catch((failure: unknown) => !cancelled && setError(messageOf(failure)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [experimentId, order, status, after, refreshKey]);

  const sortBy = (next: CandidateOrder) => {
    setOrder(next);
    setCursors([null]);
  };
  const pageNumber = cursors.length;
  const pages = Math.max(1, Math.ceil(page.totalCount / CANDIDATES_PAGE_SIZE));

  return (
    <div data-testid="candidates-table" aria-busy={loading}>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="candidate-order">Sort by</label>
          <select
            id="candidate-order"
            value={order}
            onChange={(event) => sortBy(event.target.value as CandidateOrder)}
          >
            {(Object.keys(ORDER_LABELS) as CandidateOrder[]).map((value) => (
              <option key={value} value={value}>
                {ORDER_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="candidate-status">Status</label>
          <select
            id="candidate-status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as CandidateStatus | '');
              setCursors([null]);
            }}
          >
            <option value="">Any</option>
            {STATUS_OPTIONS.map((value) => (
              <option key={value} value={value}>
                {value.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <span className="help" aria-live="polite">
          {loading ? 'Loading…' : `${page.totalCount} candidates`}
        </span>
      </div>
      {error && <ErrorBox error={error} title="Candidates could not be loaded" />}
      <div className="table-wrap">
        <table className="data" aria-label="Candidates">
          <thead>
            <tr>
              <SortHeader label="Gen." order="CREATED_ASC" current={order} onSort={sortBy} numeric />
              <th scope="col">Architecture</th>
              <th scope="col">Status</th>
              <SortHeader label="Proxy acc." order="ACCURACY_DESC" current={order} onSort={sortBy} numeric />
              <th scope="col" className="num">
                Top-5
              </th>
              <SortHeader label="Latency" order="LATENCY_ASC" current={order} onSort={sortBy} numeric />
              <SortHeader label="Params" order="PARAMS_ASC" current={order} onSort={sortBy} numeric />
              <th scope="col" className="num">
                FLOPs
              </th>
              <SortHeader label="Reward" order="REWARD_DESC" current={order} onSort={sortBy} numeric />
              <th scope="col" className="num">
                Train time
              </th>
              <th scope="col">Worker</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.length === 0 && (
              <tr>
                <td colSpan={11} className="help">
                  No candidates{status ? ` with status ${status.toLowerCase()}` : ''} yet. The first
                  generation appears once a worker picks up the search.
                </td>
              </tr>
            )}
            {page.edges.map(({ node }) => (
              <tr key={node.id} data-candidate-id={node.id}>
                <td className="num">{node.generation}</td>
                <td className="mono">{node.architecture ?? '–'}</td>
                <td>
                  <StatusBadge status={node.status} />
                  {node.error && <div className="error">{node.error}</div>}
                </td>
                <td className="num">{percent(node.proxyAccuracy)}</td>
                <td className="num">{percent(node.proxyTop5)}</td>
                <td className="num">{ms(node.latencyMs)}</td>
                <td className="num">{compact(node.params)}</td>
                <td className="num">{compact(node.flops)}</td>
                <td className="num">{num(node.reward)}</td>
                <td className="num">{duration(node.trainMs)}</td>
                <td>{node.host ? `${node.host} (${node.backend ?? '?'})` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Candidate pages">
        <button
          type="button"
          disabled={cursors.length === 1 || loading}
          onClick={() => setCursors((list) => list.slice(0, -1))}
        >
          Previous
        </button>
        <span>
          Page {pageNumber} of {pages}
        </span>
        <button
          type="button"
          disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || loading}
          onClick={() => setCursors((list) => [...list, page.pageInfo.endCursor ?? null])}
        >
          Next
        </button>
      </nav>
    </div>
  );
}

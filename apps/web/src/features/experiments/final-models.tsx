'use client';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { EmptyState, ErrorBox, StatusBadge } from '../../components/feedback.js';
import type { DistillationMethod, TrainedModelRowFragment } from '../../gql/graphql.js';
import { messageOf, request } from '../../lib/client.js';
import { compact, enumLabel, ms, percent } from '../../lib/format.js';
import { TrainFinalModels } from './queries.js';

const METHODS: { value: DistillationMethod; label: string; needsTeacher: boolean }[] = [
  { value: 'HINTON', label: 'Hinton KD from the teacher', needsTeacher: true },
  { value: 'CC', label: 'Correlation congruence (CC-KD)', needsTeacher: true },
  { value: 'TA', label: 'Through a teacher assistant (TA-KD)', needsTeacher: true },
  { value: 'RCO', label: 'Along the teacher checkpoints (RCO)', needsTeacher: true },
  { value: 'HARD_LABEL', label: 'Hard labels only', needsTeacher: false },
];

/** Trained models of the experiment with test accuracy and download, and the form that queues more. */
export function FinalModels({
  experimentId,
  models,
  hasTeacher,
  canEdit,
  completedCandidates,
  onQueued,
}: {
  experimentId: string;
  models: readonly TrainedModelRowFragment[];
  hasTeacher: boolean;
  canEdit: boolean;
  completedCandidates: number;
  onQueued: (models: TrainedModelRowFragment[]) => void;
}) {
  const [topK, setTopK] = useState('3');
  const [epochs, setEpochs] = useState('30');
  const [method, setMethod] = useState<DistillationMethod>(hasTeacher ? 'HINTON' : 'HARD_LABEL');
  const [errors, setErrors] = useState<{ topK?: string; epochs?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const k = Number(topK);
    const e = Number(epochs);
    const found: typeof errors = {};
    if (!Number.isInteger(k) || k < 1 || k > 50) found.topK = 'Top K must be a whole number from 1 to 50.';
    if (!Number.isInteger(e) || e < 1 || e > 500)
      found.epochs = 'Epochs must be a whole number from 1 to 500.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const data = await request(TrainFinalModels, { experimentId, topK: k, epochs: e, method });
      onQueued(data.trainFinalModels);
    } catch (failure) {
      setErrors({ form: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {models.length === 0 ? (
        <EmptyState title="No final models yet">
          {canEdit
            ? 'Train the best candidates on the whole training split below; their test accuracy and files appear here.'
            : 'An editor can train the best candidates on the whole training split.'}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-label="Final models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Method</th>
                <th scope="col" className="num">
                  Epochs
                </th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Test top-1
                </th>
                <th scope="col" className="num">
                  Test top-5
                </th>
                <th scope="col" className="num">
                  Latency
                </th>
                <th scope="col" className="num">
                  Params
                </th>
                <th scope="col">Files</th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <tr key={model.id} data-model-id={model.id}>
                  <td>
                    <Link href={`/models/${model.id}`}>{model.id.slice(0, 8)}</Link>
                  </td>
                  <td>{enumLabel(model.method)}</td>
                  <td className="num">{model.epochs}</td>
                  <td>
                    <StatusBadge status={model.status} />
                    {model.error && <div className="error">{model.error}</div>}
                  </td>
                  <td className="num">{percent(model.testTop1)}</td>
                  <td className="num">{percent(model.testTop5)}</td>
                  <td className="num">{ms(model.latencyMs)}</td>
                  <td className="num">{compact(model.params)}</td>
                  <td>
                    {model.downloadable ? (
                      <a href={`/api/models/${model.id}/download`} download>
                        Download .zip
                      </a>
                    ) : (
                      '–'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <form className="toolbar" onSubmit={submit} noValidate aria-label="Train final models">
          <div className="field">
            <label htmlFor="final-topk">Top K by reward</label>
            <input
              id="final-topk"
              inputMode="numeric"
              value={topK}
              onChange={(event) => setTopK(event.target.value)}
              aria-invalid={errors.topK ? true : undefined}
              aria-describedby={errors.topK ? 'final-topk-error' : undefined}
            />
            {errors.topK && (
              <p id="final-topk-error" className="error">
                {errors.topK}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="final-epochs">Epochs</label>
            <input
              id="final-epochs"
              inputMode="numeric"
              value={epochs}
              onChange={(event) => setEpochs(event.target.value)}
              aria-invalid={errors.epochs ? true : undefined}
              aria-describedby={errors.epochs ? 'final-epochs-error' : undefined}
            />
            {errors.epochs && (
              <p id="final-epochs-error" className="error">
                {errors.epochs}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="final-method">Method</label>
            <select
              id="final-method"
              value={method}
              onChange={(event) => setMethod(event.target.value as DistillationMethod)}
            >
              {METHODS.filter((m) => hasTeacher || !m.needsTeacher).map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={busy || completedCandidates === 0}>
            {busy ? 'Queuing…' : 'Train final models'}
          </button>
          {completedCandidates === 0 && <p className="help">Available once a candidate has completed.</p>}
          {errors.form && <ErrorBox error={errors.form} title="Training was not queued" />}
        </form>
      )}
    </>
  );
}

'use client';
// Editor forms of the teachers page: train a zoo teacher, import logits, and build an ensemble.
import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ErrorBox } from '../../components/feedback.js';
import type { ZooArchitecture } from '../../gql/graphql.js';
import { restErrorMessage } from '../../lib/api-error.js';
import { endSession, messageOf, request } from '../../lib/client.js';
import { CreateEnsembleTeacher, TrainTeacher } from './queries.js';

const ARCHITECTURES: { value: ZooArchitecture; label: string }[] = [
  { value: 'RESNET', label: 'ResNet-like (residual)' },
  { value: 'VGG', label: 'VGG-like (plain)' },
  { value: 'MOBILENETV2', label: 'MobileNetV2-like (inverted bottleneck)' },
  { value: 'DENSENET', label: 'DenseNet-like (densely connected)' },
  { value: 'INCEPTION', label: 'Inception-like (multi-branch)' },
  { value: 'WIDE_SHALLOW', label: 'Wide-shallow, large kernels' },
];

/** A ready teacher that an ensemble may include. */
export interface MemberOption {
  id: string;
  name: string;
  datasetId: string;
}

function Outcome({ error, done }: { error: string | null; done: string | null }) {
  if (error) return <ErrorBox error={error} title="Not accepted" />;
  if (done)
    return (
      <p role="status" className="notice">
        {done}
      </p>
    );
  return null;
}

/** Submits with `action`, shows its error next to the button and refreshes the page's data on success. */
function useSubmit(success: string) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(success);
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, submit, setError };
}

function FormPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** Queues the training of a zoo teacher. */
export function TrainTeacherForm({ datasetId }: { datasetId: string }) {
  const [architecture, setArchitecture] = useState<ZooArchitecture>('RESNET');
  const [name, setName] = useState('');
  const [epochs, setEpochs] = useState('6');
  const { busy, error, done, submit, setError } = useSubmit(
    'Training queued; the teacher is PENDING until a worker trains it.',
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const e = Number(epochs);
    if (!Number.isInteger(e) || e < 1 || e > 500) {
      setError('Epochs must be a whole number from 1 to 500.');
      return;
    }
    void submit(async () => {
      await request(TrainTeacher, {
        input: {
          datasetId,
          architecture,
          name: name.trim() === '' ? null : name.trim(),
          training: { epochs: e },
        },
      });
    });
  };

  return (
    <FormPanel title="Train a zoo teacher">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="fields">
          <div className="field">
            <label htmlFor="train-architecture">Architecture</label>
            <select
              id="train-architecture"
              value={architecture}
              onChange={(event) => setArchitecture(event.target.value as ZooArchitecture)}
            >
              {ARCHITECTURES.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="train-name">Name</label>
            <input
              id="train-name"
              value={name}
              placeholder="the architecture's name"
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="train-epochs">Epochs</label>
            <input
              id="train-epochs"
              inputMode="numeric"
              value={epochs}
              onChange={(event) => setEpochs(event.target.value)}
            />
          </div>
        </div>
        <div>
          <button type="submit" className="primary" disabled={busy || !datasetId}>
            Queue training
          </button>
        </div>
        <Outcome error={error} done={done} />
      </form>
    </FormPanel>
  );
}

/** Uploads logits files to POST /api/teachers/import. */
export function ImportTeacherForm({ datasetId }: { datasetId: string }) {
  const [name, setName] = useState('');
  const [family, setFamily] = useState('');
  const { busy, error, done, submit, setError } = useSubmit('Teacher imported and ready.');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const train = form.get('train');
    if (name.trim() === '') {
      setError('Enter a name for the teacher.');
      return;
    }
    if (!(train instanceof File) || train.size === 0) {
      setError('Choose the .npy file of the training-split logits.');
      return;
    }
    const body = new FormData();
    body.set('datasetId', datasetId);
    body.set('name', name.trim());
    if (family.trim() !== '') body.set('family', family.trim());
    body.set('train', train);
    const test = form.get('test');
    if (test instanceof File && test.size > 0) body.set('test', test);
    void submit(async () => {
      const response = await fetch('/api/teachers/import', { method: 'POST', body });
      if (!response.ok) {
        const failure = restErrorMessage(response.status, await response.json().catch(() => null));
        if (failure.unauthenticated) endSession();
        throw failure;
      }
    });
  };

  return (
    <FormPanel title="Import a teacher from logits">
      <form className="form" onSubmit={onSubmit} noValidate encType="multipart/form-data">
        <div className="fields">
          <div className="field">
            <label htmlFor="import-name">Name</label>
            <input
              id="import-name"
              value={name}
              aria-describedby="import-name-help"
              onChange={(event) => setName(event.target.value)}
            />
            <p id="import-name-help" className="help">
              1 to 100 letters, digits, dots, dashes or underscores.
            </p>
          </div>
          <div className="field">
            <label htmlFor="import-family">Family</label>
            <input
              id="import-family"
              value={family}
              placeholder="imported"
              onChange={(event) => setFamily(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="import-train">Training-split logits (.npy)</label>
            <input id="import-train" name="train" type="file" accept=".npy" aria-describedby="import-help" />
          </div>
          <div className="field">
            <label htmlFor="import-test">Test-split logits (.npy, optional)</label>
            <input id="import-test" name="test" type="file" accept=".npy" />
          </div>
        </div>
        <p id="import-help" className="help">
          float32 or float64 arrays of shape [images, classes] in the dataset&apos;s order; the test logits
          give the teacher&apos;s test accuracy.
        </p>
        <div>
          <button type="submit" className="primary" disabled={busy || !datasetId}>
            {busy ? 'Uploading…' : 'Import'}
          </button>
        </div>
        <Outcome error={error} done={done} />
      </form>
    </FormPanel>
  );
}

/** Records an ensemble of ready teachers of the dataset. */
export function EnsembleTeacherForm({ datasetId, members }: { datasetId: string; members: MemberOption[] }) {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const { busy, error, done, submit, setError } = useSubmit(
    'Ensemble recorded; it is PENDING until a worker evaluates it.',
  );
  const candidates = members.filter((m) => m.datasetId === datasetId);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setError('Enter a name for the ensemble.');
      return;
    }
    if (chosen.length < 2) {
      setError('Choose at least two ready teachers.');
      return;
    }
    void submit(async () => {
      await request(CreateEnsembleTeacher, { input: { datasetId, name: name.trim(), memberIds: chosen } });
    });
  };

  return (
    <FormPanel title="Build an ensemble teacher">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="ensemble-name">Name</label>
          <input id="ensemble-name" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <fieldset>
          <legend>Members (averaged logits)</legend>
          {candidates.length < 2 && <p className="help">The dataset needs at least two ready teachers.</p>}
          {candidates.map((member) => (
            <label key={member.id} className="field inline">
              <input
                type="checkbox"
                checked={chosen.includes(member.id)}
                onChange={(event) =>
                  setChosen((list) =>
                    event.target.checked ? [...list, member.id] : list.filter((id) => id !== member.id),
                  )
                }
              />
              {member.name}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="primary" disabled={busy || candidates.length < 2}>
            Create ensemble
          </button>
        </div>
        <Outcome error={error} done={done} />
      </form>
    </FormPanel>
  );
}

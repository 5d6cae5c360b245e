'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../../components/feedback.js';
import type { SimilaritySplit } from '../../gql/graphql.js';
import { messageOf, request } from '../../lib/client.js';
import { CreateSimilarityStudy } from './queries.js';

/** Starts a similarity study of two or more ready teachers (and GT). */
export function SimilarityStudyForm({ teachers }: { teachers: readonly { id: string; name: string }[] }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string[]>(() => teachers.map((t) => t.id));
  const [split, setSplit] = useState<SimilaritySplit>('TEST');
  const [temperature, setTemperature] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const t = Number(temperature);
    if (chosen.length < 2) return setError('Choose at least two ready teachers.');
    if (!(t > 0)) return setError('Temperature must be greater than 0.');
    setBusy(true);
    setError(null);
    try {
      const data = await request(CreateSimilarityStudy, {
        input: { teacherIds: chosen, split, temperature: t, includeGroundTruth: true },
      });
      router.push(`/studies/${data.createSimilarityStudy.id}`);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Start a similarity study">
      <fieldset>
        <legend>Teachers to compare</legend>
        {teachers.map((teacher) => (
          <label key={teacher.id} className="field inline">
            <input
              type="checkbox"
              checked={chosen.includes(teacher.id)}
              onChange={(event) =>
                setChosen((list) =>
                  event.target.checked ? [...list, teacher.id] : list.filter((id) => id !== teacher.id),
                )
              }
            />
            {teacher.name}
          </label>
        ))}
      </fieldset>
      <div className="fields">
        <div className="field">
          <label htmlFor="similarity-split">Images</label>
          <select
            id="similarity-split"
            value={split}
            onChange={(event) => setSplit(event.target.value as SimilaritySplit)}
          >
            <option value="TEST">Test split</option>
            <option value="TRAIN">Training split</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="similarity-temperature">Temperature</label>
          <input
            id="similarity-temperature"
            inputMode="decimal"
            value={temperature}
            onChange={(event) => setTemperature(event.target.value)}
          />
        </div>
      </div>
      <div>
        <button type="submit" className="primary" disabled={busy || teachers.length < 2}>
          Start similarity study
        </button>
      </div>
      {error && <ErrorBox error={error} title="The study was not started" />}
    </form>
  );
}

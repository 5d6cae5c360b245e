'use client';
// Editor forms that start a ranking, an ablation or a KD-friendliness study.
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../../components/feedback.js';
import { messageOf, request } from '../../lib/client.js';
import { CreateAblationStudy, CreateKdFriendlinessStudy, CreateRankingStudy } from './queries.js';

/** A ready teacher the forms offer. */
export interface TeacherChoice {
  id: string;
  name: string;
  datasetId: string;
}

/** A search the forms offer. */
export interface ExperimentChoice {
  id: string;
  name: string;
  searchBy: string;
  datasetId: string;
}

/** Parses a comma-separated list of numbers; null when one is not a number. */
function numberList(text: string): number[] | null {
  const values = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  return values.every((v) => Number.isFinite(v)) ? values : null;
}

function useStart() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async (create: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      router.push(`/studies/${await create()}`);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return { error, setError, busy, start };
}

function Checklist<T extends { id: string; name: string }>({
  legend,
  items,
  chosen,
  onChange,
}: {
  legend: string;
  items: readonly T[];
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {items.length === 0 && <p className="help">None available.</p>}
      {items.map((item) => (
        <label key={item.id} className="field inline">
          <input
            type="checkbox"
            checked={chosen.includes(item.id)}
            onChange={(event) =>
              onChange(event.target.checked ? [...chosen, item.id] : chosen.filter((id) => id !== item.id))
            }
          />
          {item.name}
        </label>
      ))}
    </fieldset>
  );
}

/** Ranking study: the top students of chosen searches, distilled from each chosen teacher and GT. */
export function RankingStudyForm({
  teachers,
  experiments,
}: {
  teachers: TeacherChoice[];
  experiments: ExperimentChoice[];
}) {
  const [teacherIds, setTeacherIds] = useState<string[]>([]);
  const [experimentIds, setExperimentIds] = useState<string[]>([]);
  const [topK, setTopK] = useState('3');
  const [seeds, setSeeds] = useState('3');
  const { error, setError, busy, start } = useStart();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const k = Number(topK);
    const n = Number(seeds);
    if (teacherIds.length < 2) return setError('Choose at least two ready teachers of one dataset.');
    if (experimentIds.length === 0)
      return setError('Choose at least one search whose best students to rank.');
    if (!Number.isInteger(k) || k < 1)
      return setError('Students per search must be a whole number of at least 1.');
    if (!Number.isInteger(n) || n < 1 || n > 20)
      return setError('Seeds must be a whole number from 1 to 20.');
    void start(async () => {
      const data = await request(CreateRankingStudy, {
        input: {
          teacherIds,
          seeds: n,
          includeGroundTruth: true,
          students: { fromExperiments: { experimentIds, topK: k } },
        },
      });
      return data.createRankingStudy.id;
    });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Start a ranking study">
      <Checklist legend="Teachers" items={teachers} chosen={teacherIds} onChange={setTeacherIds} />
      <Checklist
        legend="Students: the best of these searches"
        items={experiments}
        chosen={experimentIds}
        onChange={setExperimentIds}
      />
      <div className="fields">
        <div className="field">
          <label htmlFor="ranking-topk">Students per search</label>
          <input
            id="ranking-topk"
            inputMode="numeric"
            value={topK}
            onChange={(event) => setTopK(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="ranking-seeds">Seeds</label>
          <input
            id="ranking-seeds"
            inputMode="numeric"
            value={seeds}
            onChange={(event) => setSeeds(event.target.value)}
          />
        </div>
      </div>
      <div>
        <button type="submit" className="primary" disabled={busy}>
          Start ranking study
        </button>
      </div>
      {error && <ErrorBox error={error} title="The study was not started" />}
    </form>
  );
}

/** Ablation study: per latency target, search and train by hard labels and by distillation. */
export function AblationStudyForm({ teachers }: { teachers: TeacherChoice[] }) {
  const [teacherId, setTeacherId] = useState(teachers[0]?.id ?? '');
  const [targets, setTargets] = useState('2, 5');
  const [budget, setBudget] = useState('20');
  const [generationSize, setGenerationSize] = useState('5');
  const [epochs, setEpochs] = useState('10');
  const { error, setError, busy, start } = useStart();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const latencyTargetsMs = numberList(targets);
    const b = Number(budget);
    const g = Number(generationSize);
    const e = Number(epochs);
    if (!teacherId) return setError('Choose a ready teacher.');
    if (!latencyTargetsMs || latencyTargetsMs.length === 0 || latencyTargetsMs.some((t) => !(t > 0))) {
      return setError(
        `Invalid latency targets "${targets}": give milliseconds greater than 0, separated by commas.`,
      );
    }
    if (!Number.isInteger(b) || b < 1) return setError('Budget must be a whole number of at least 1.');
    if (!Number.isInteger(g) || g < 1)
      return setError('Generation size must be a whole number of at least 1.');
    if (!Number.isInteger(e) || e < 1) return setError('Final epochs must be a whole number of at least 1.');
    void start(async () => {
      const data = await request(CreateAblationStudy, {
        input: {
          teacherId,
          latencyTargetsMs,
          search: { budget: b, generationSize: g, strategy: 'POLICY_GRADIENT' },
          finalTraining: { epochs: e },
        },
      });
      return data.createAblationStudy.id;
    });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Start an ablation study">
      <div className="fields">
        <div className="field">
          <label htmlFor="ablation-teacher">Teacher</label>
          <select
            id="ablation-teacher"
            value={teacherId}
            onChange={(event) => setTeacherId(event.target.value)}
          >
            {teachers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ablation-targets">Latency targets (ms)</label>
          <input id="ablation-targets" value={targets} onChange={(event) => setTargets(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="ablation-budget">Budget per search</label>
          <input
            id="ablation-budget"
            inputMode="numeric"
            value={budget}
            onChange={(event) => setBudget(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="ablation-generation">Generation size</label>
          <input
            id="ablation-generation"
            inputMode="numeric"
            value={generationSize}
            onChange={(event) => setGenerationSize(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="ablation-epochs">Final training epochs</label>
          <input
            id="ablation-epochs"
            inputMode="numeric"
            value={epochs}
            onChange={(event) => setEpochs(event.target.value)}
          />
        </div>
      </div>
      <div>
        <button type="submit" className="primary" disabled={busy || teachers.length === 0}>
          Start ablation study
        </button>
      </div>
      {error && <ErrorBox error={error} title="The study was not started" />}
    </form>
  );
}

/** KD-friendliness study: a distillation search against a hard-label search at chosen generations. */
export function KdFriendlinessStudyForm({ experiments }: { experiments: ExperimentChoice[] }) {
  const akdSearches = experiments.filter((e) => e.searchBy === 'DISTILLATION');
  const nasSearches = experiments.filter((e) => e.searchBy === 'HARD_LABEL');
  const [akd, setAkd] = useState(akdSearches[0]?.id ?? '');
  const [nas, setNas] = useState(nasSearches[0]?.id ?? '');
  const [generations, setGenerations] = useState('0, 1');
  const [topK, setTopK] = useState('3');
  const { error, setError, busy, start } = useStart();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list = numberList(generations);
    const k = Number(topK);
    if (!akd || !nas) return setError('Choose a distillation search and a hard-label search.');
    if (!list || list.length === 0 || list.some((g) => !Number.isInteger(g) || g < 0)) {
      return setError(`Invalid generations "${generations}": give indices from 0, separated by commas.`);
    }
    if (!Number.isInteger(k) || k < 1)
      return setError('Students per generation must be a whole number of at least 1.');
    void start(async () => {
      const data = await request(CreateKdFriendlinessStudy, {
        input: { akdExperimentId: akd, nasExperimentId: nas, generations: list, topK: k },
      });
      return data.createKdFriendlinessStudy.id;
    });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Start a KD-friendliness study">
      <div className="fields">
        <div className="field">
          <label htmlFor="kd-akd">Distillation search</label>
          <select id="kd-akd" value={akd} onChange={(event) => setAkd(event.target.value)}>
            {akdSearches.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kd-nas">Hard-label search</label>
          <select id="kd-nas" value={nas} onChange={(event) => setNas(event.target.value)}>
            {nasSearches.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kd-generations">Generations</label>
          <input
            id="kd-generations"
            value={generations}
            onChange={(event) => setGenerations(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="kd-topk">Students per generation</label>
          <input
            id="kd-topk"
            inputMode="numeric"
            value={topK}
            onChange={(event) => setTopK(event.target.value)}
          />
        </div>
      </div>
      <div>
        <button
          type="submit"
          className="primary"
          disabled={busy || akdSearches.length === 0 || nasSearches.length === 0}
        >
          Start KD-friendliness study
        </button>
      </div>
      {error && <ErrorBox error={error} title="The study was not started" />}
    </form>
  );
}

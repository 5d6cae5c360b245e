'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Field } from '../../components/field.js';
import { graphql } from '../../gql/index.js';
import { ApiError } from '../../lib/api-error.js';
import { messageOf, request } from '../../lib/client.js';
import { percent } from '../../lib/format.js';
import {
  applyPreset,
  FORM_PRESET_LABELS,
  fieldErrorsFromApiMessage,
  initialFormValues,
  MAX_BUDGET,
  REWARD_PRESETS,
  validateExperimentForm,
  type ExperimentField,
  type ExperimentFormValues,
  type FormPreset,
  type ProxyFormValues,
} from './form-model.js';

const CreateExperiment = graphql(`
  mutation CreateExperiment($input: CreateExperimentInput!) {
    createExperiment(input: $input) {
      id
    }
  }
`);

/** A dataset the form offers. */
export interface DatasetOption {
  id: string;
  name: string;
  trainCount: number;
  numClasses: number;
  inputShape: string;
}

/** A latency profile the form offers for TABLE and FLOPS. */
export interface ProfileOption {
  id: string;
  name: string;
  backend: string;
  inputShape: string;
  hasFlopsFit: boolean;
}

/** A ready teacher the form offers. */
export interface TeacherOption {
  id: string;
  name: string;
  datasetId: string;
  family: string;
  testAccuracy: number | null;
}

type Errors = Partial<Record<ExperimentField, string>>;

/** Element id of a form field. */
function fieldId(field: ExperimentField): string {
  return `experiment-${field.replace('.', '-')}`;
}

/** The new-experiment form: presets, client-side validation, and the API's messages next to the fields. */
export function ExperimentForm({
  datasets,
  teachers,
  profiles,
  initialTeacherId,
}: {
  datasets: DatasetOption[];
  teachers: TeacherOption[];
  profiles: ProfileOption[];
  initialTeacherId: string;
}) {
  const router = useRouter();
  const firstDataset = teachers.find((t) => t.id === initialTeacherId)?.datasetId ?? datasets[0]?.id ?? '';
  const [values, setValues] = useState<ExperimentFormValues>(() =>
    initialFormValues(firstDataset, initialTeacherId),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  // Marks the form as interactive, so that tests and users of slow connections know submit validates.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const dataset = datasets.find((d) => d.id === values.datasetId);
  const datasetTeachers = useMemo(
    () => teachers.filter((t) => t.datasetId === values.datasetId),
    [teachers, values.datasetId],
  );

  const set = <K extends keyof ExperimentFormValues>(key: K, value: ExperimentFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const setProxy = (key: keyof ProxyFormValues, value: string) =>
    setValues((current) => ({ ...current, proxy: { ...current.proxy, [key]: value } }));
  const text = (field: Exclude<ExperimentField, 'form' | `proxy.${string}`>) => ({
    value: values[field] as string,
    onChange: (event: { target: { value: string } }) => set(field, event.target.value as never),
  });
  const proxyText = (key: keyof ProxyFormValues) => ({
    value: values.proxy[key],
    onChange: (event: { target: { value: string } }) => setProxy(key, event.target.value),
  });

  const focusFirstError = (found: Errors) => {
    const first = Object.keys(found).find((field) => field !== 'form') as ExperimentField | undefined;
    if (first) document.getElementById(fieldId(first))?.focus();
    else document.getElementById('experiment-form-error')?.focus();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validateExperimentForm(values, dataset);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstError(result.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const data = await request(CreateExperiment, { input: result.input });
      router.push(`/experiments/${data.createExperiment.id}`);
    } catch (error) {
      const found =
        error instanceof ApiError && error.code === 'BAD_USER_INPUT'
          ? fieldErrorsFromApiMessage(error.message)
          : { form: messageOf(error) };
      setErrors(found);
      setSubmitting(false);
      focusFirstError(found);
    }
  };

  const onTeacher = (teacherId: string) =>
    setValues((current) => ({
      ...current,
      teacherId,
      searchBy:
        teacherId === '' ? 'HARD_LABEL' : current.teacherId === '' ? 'DISTILLATION' : current.searchBy,
    }));

  const onRewardPreset = (preset: ExperimentFormValues['rewardPreset']) =>
    setValues((current) => ({
      ...current,
      rewardPreset: preset,
      ...(preset === 'custom'
        ? {}
        : { alpha: String(REWARD_PRESETS[preset].alpha), beta: String(REWARD_PRESETS[preset].beta) }),
    }));

  const errorCount = Object.keys(errors).length;

  return (
    <form
      className="form"
      onSubmit={onSubmit}
      noValidate
      data-hydrated={hydrated ? 'true' : undefined}
      aria-describedby={errorCount > 0 ? 'experiment-form-error' : undefined}
    >
      {errorCount > 0 && (
        <div
          id="experiment-form-error"
          role="alert"
          tabIndex={-1}
          className="error-box"
          data-testid="form-errors"
        >
          {errors.form ??
            `The experiment was not created: fix the ${errorCount === 1 ? 'field' : `${errorCount} fields`} marked below.`}
        </div>
      )}

      <fieldset>
        <legend>Presets</legend>
        <div className="toolbar">
          {(Object.keys(FORM_PRESET_LABELS) as FormPreset[]).map((preset) => (
            <button
              key={preset}
              type="button"
              onClick={() => setValues((current) => applyPreset(current, preset))}
            >
              {FORM_PRESET_LABELS[preset]}
            </button>
          ))}
        </div>
        <p className="help">
          A preset fills the proxy task, budget, generation size and distillation settings.
        </p>
      </fieldset>

      <fieldset>
        <legend>What to search</legend>
        <div className="fields">
          <Field id={fieldId('name')} label="Name" error={errors.name}>
            <input type="text" maxLength={200} {...text('name')} />
          </Field>
          <Field
            id={fieldId('datasetId')}
            label="Dataset"
            error={errors.datasetId}
            help={
              dataset
                ? `${dataset.inputShape}, ${dataset.numClasses} classes, ${dataset.trainCount} training images`
                : undefined
            }
          >
            <select
              value={values.datasetId}
              onChange={(event) =>
                setValues((current) => ({
                  ...current,
                  datasetId: event.target.value,
                  teacherId: '',
                  searchBy: 'HARD_LABEL',
                }))
              }
            >
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id={fieldId('teacherId')}
            label="Teacher"
            error={errors.teacherId}
            help={
              datasetTeachers.length === 0
                ? 'No ready teacher for this dataset: train or import one on the Teachers page.'
                : undefined
            }
          >
            <select value={values.teacherId} onChange={(event) => onTeacher(event.target.value)}>
              <option value="">None: conventional NAS on hard labels</option>
              {datasetTeachers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.family}, {percent(t.testAccuracy)})
                </option>
              ))}
            </select>
          </Field>
          <Field
            id={fieldId('searchBy')}
            label="Search by"
            error={errors.searchBy}
            help={
              values.teacherId === ''
                ? 'Without a teacher, candidates are scored on hard labels.'
                : values.searchBy === 'HARD_LABEL'
                  ? 'Candidates are scored on hard labels; the teacher is not used.'
                  : 'Each candidate is scored after KD from the teacher.'
            }
          >
            <select
              value={values.searchBy}
              onChange={(event) => set('searchBy', event.target.value as ExperimentFormValues['searchBy'])}
            >
              <option value="DISTILLATION" disabled={values.teacherId === ''}>
                Distillation (AKD)
              </option>
              <option value="HARD_LABEL">Hard label (conventional NAS)</option>
            </select>
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Strategy</legend>
        <div className="fields">
          <Field id={fieldId('strategy')} label="Strategy" error={errors.strategy}>
            <select
              value={values.strategy}
              onChange={(event) => set('strategy', event.target.value as ExperimentFormValues['strategy'])}
            >
              <option value="POLICY_GRADIENT">Policy gradient (REINFORCE / PPO)</option>
              <option value="EVOLUTION">Regularized evolution</option>
              <option value="RANDOM">Random search</option>
            </select>
          </Field>
          {values.strategy === 'POLICY_GRADIENT' && (
            <>
              <Field id={fieldId('controller')} label="Controller" error={errors.controller}>
                <select
                  value={values.controller}
                  onChange={(event) =>
                    set('controller', event.target.value as ExperimentFormValues['controller'])
                  }
                >
                  <option value="factorized">Factorized softmax per decision</option>
                  <option value="lstm">LSTM</option>
                </select>
              </Field>
              <Field id={fieldId('estimator')} label="Estimator" error={errors.estimator}>
                <select
                  value={values.estimator}
                  onChange={(event) =>
                    set('estimator', event.target.value as ExperimentFormValues['estimator'])
                  }
                >
                  <option value="reinforce">REINFORCE</option>
                  <option value="ppo">PPO-clip</option>
                </select>
              </Field>
              <Field
                id={fieldId('policyLearningRate')}
                label="Controller learning rate"
                error={errors.policyLearningRate}
                help="Empty for the default: 0.1 factorized, 0.01 LSTM."
              >
                <input type="text" inputMode="decimal" {...text('policyLearningRate')} />
              </Field>
              <Field
                id={fieldId('entropyCoefficient')}
                label="Entropy coefficient"
                error={errors.entropyCoefficient}
              >
                <input type="text" inputMode="decimal" {...text('entropyCoefficient')} />
              </Field>
              <Field
                id={fieldId('baselineDecay')}
                label="Baseline decay"
                error={errors.baselineDecay}
                help="In [0, 1)."
              >
                <input type="text" inputMode="decimal" {...text('baselineDecay')} />
              </Field>
            </>
          )}
          {values.strategy === 'EVOLUTION' && (
            <>
              <Field id={fieldId('populationSize')} label="Population size P" error={errors.populationSize}>
                <input type="text" inputMode="numeric" {...text('populationSize')} />
              </Field>
              <Field
                id={fieldId('tournamentSize')}
                label="Tournament size S"
                error={errors.tournamentSize}
                help="At most P."
              >
                <input type="text" inputMode="numeric" {...text('tournamentSize')} />
              </Field>
            </>
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>Latency and reward</legend>
        <div className="fields">
          <Field
            id={fieldId('latencyModel')}
            label="Latency model"
            error={errors.latencyModel}
            help="Measured times each candidate on its worker; table and FLOPs predict from a latency profile."
          >
            <select
              value={values.latencyModel}
              onChange={(event) =>
                set('latencyModel', event.target.value as ExperimentFormValues['latencyModel'])
              }
            >
              <option value="MEASURED">Measured on the worker</option>
              <option value="TABLE">Latency table of a profile</option>
              <option value="FLOPS">Linear fit on FLOPs of a profile</option>
            </select>
          </Field>
          {values.latencyModel !== 'MEASURED' && (
            <Field
              id={fieldId('latencyProfileId')}
              label="Latency profile"
              error={errors.latencyProfileId}
              help={dataset ? `Profiles measured at ${dataset.inputShape}.` : undefined}
            >
              <select
                value={values.latencyProfileId}
                onChange={(event) => set('latencyProfileId', event.target.value)}
              >
                <option value="">Choose a profile</option>
                {profiles
                  .filter((p) => !dataset || p.inputShape === dataset.inputShape)
                  .filter((p) => values.latencyModel !== 'FLOPS' || p.hasFlopsFit)
                  .map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.backend})
                    </option>
                  ))}
              </select>
            </Field>
          )}
          <Field id={fieldId('latencyTargetMs')} label="Latency target T (ms)" error={errors.latencyTargetMs}>
            <input type="text" inputMode="decimal" {...text('latencyTargetMs')} />
          </Field>
          <Field
            id={fieldId('rewardPreset')}
            label="Reward constraint"
            help="R = ACC × (LAT / T)^w with w = α at or below T and β above it."
          >
            <select
              value={values.rewardPreset}
              onChange={(event) => onRewardPreset(event.target.value as ExperimentFormValues['rewardPreset'])}
            >
              <option value="soft">Soft (α = β = −0.07)</option>
              <option value="hard">Hard (α = 0, β = −1)</option>
              <option value="custom">Custom</option>
            </select>
          </Field>
          <Field id={fieldId('alpha')} label="α" error={errors.alpha}>
            <input
              type="text"
              inputMode="decimal"
              disabled={values.rewardPreset !== 'custom'}
              {...text('alpha')}
            />
          </Field>
          <Field id={fieldId('beta')} label="β" error={errors.beta}>
            <input
              type="text"
              inputMode="decimal"
              disabled={values.rewardPreset !== 'custom'}
              {...text('beta')}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Budget</legend>
        <div className="fields">
          <Field
            id={fieldId('budget')}
            label="Budget (candidates)"
            error={errors.budget}
            help={`1 to ${MAX_BUDGET} distinct candidates.`}
          >
            <input type="text" inputMode="numeric" {...text('budget')} />
          </Field>
          <Field id={fieldId('generationSize')} label="Generation size" error={errors.generationSize}>
            <input type="text" inputMode="numeric" {...text('generationSize')} />
          </Field>
          <Field id={fieldId('seed')} label="Search seed" error={errors.seed}>
            <input type="text" inputMode="numeric" {...text('seed')} />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Proxy task</legend>
        <div className="fields">
          <Field id={fieldId('proxy.trainSize')} label="Mini-train images" error={errors['proxy.trainSize']}>
            <input type="text" inputMode="numeric" {...proxyText('trainSize')} />
          </Field>
          <Field id={fieldId('proxy.valSize')} label="Mini-val images" error={errors['proxy.valSize']}>
            <input type="text" inputMode="numeric" {...proxyText('valSize')} />
          </Field>
          <Field id={fieldId('proxy.epochs')} label="Epochs" error={errors['proxy.epochs']}>
            <input type="text" inputMode="numeric" {...proxyText('epochs')} />
          </Field>
          <Field id={fieldId('proxy.batchSize')} label="Batch size" error={errors['proxy.batchSize']}>
            <input type="text" inputMode="numeric" {...proxyText('batchSize')} />
          </Field>
          <Field
            id={fieldId('proxy.learningRate')}
            label="Learning rate"
            error={errors['proxy.learningRate']}
          >
            <input type="text" inputMode="decimal" {...proxyText('learningRate')} />
          </Field>
          <Field id={fieldId('proxy.seed')} label="Proxy seed" error={errors['proxy.seed']}>
            <input type="text" inputMode="numeric" {...proxyText('seed')} />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Distillation on the proxy task</legend>
        <div className="fields">
          <Field
            id={fieldId('kdLambda')}
            label="λ (weight of the KD term)"
            error={errors.kdLambda}
            help="In [0, 1]."
          >
            <input type="text" inputMode="decimal" {...text('kdLambda')} />
          </Field>
          <Field
            id={fieldId('kdTemperature')}
            label="Temperature τ"
            error={errors.kdTemperature}
            help="Greater than 0."
          >
            <input type="text" inputMode="decimal" {...text('kdTemperature')} />
          </Field>
        </div>
        <p className="help">
          Used only when searching by distillation. Short proxies need gentle distillation (λ 0.5, τ 2).
        </p>
      </fieldset>

      <details open={errors.space !== undefined || values.space !== '' ? true : undefined}>
        <summary>Custom search space (JSON)</summary>
        <Field
          id={fieldId('space')}
          label="Search space"
          error={errors.space}
          help="Empty for the standard MnasNet-style space of the dataset: inputShape, numClasses, stemFilters, stemStride, blocks, headFilters, allowEmptyBlocks."
        >
          <textarea spellCheck={false} {...text('space')} />
        </Field>
      </details>

      <div>
        <button type="submit" className="primary" disabled={submitting}>
          {submitting ? 'Creating…' : 'Create experiment'}
        </button>
      </div>
    </form>
  );
}

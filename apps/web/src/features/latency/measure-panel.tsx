'use client';
// Measures a latency table in this browser and uploads it as a latency profile.
import Link from 'next/link';
import { useRef, useState, type FormEvent } from 'react';
import { ErrorBox, ProgressBar } from '../../components/feedback.js';
import { Field } from '../../components/field.js';
import { messageOf, request } from '../../lib/client.js';
import { duration, ms, num } from '../../lib/format.js';
import type { SearchSpace } from '@akd/search-space';
import type { BrowserProfile, BrowserProgress } from './browser-profile.js';
import { CreateLatencyProfile } from './queries.js';

/** Describes this browser and machine in at most 200 characters, for the profile's device. */
function describeDevice(): string {
  const agent = navigator.userAgent;
  const browser = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(agent)?.[0] ?? 'browser';
  const platform =
    (navigator as { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform;
  return `${browser} on ${platform}, ${navigator.hardwareConcurrency ?? '?'} logical CPUs`.slice(0, 200);
}

export function MeasurePanel({
  space,
  spaceLabel,
  canEdit,
}: {
  space: SearchSpace;
  spaceLabel: string;
  canEdit: boolean;
}) {
  const [settings, setSettings] = useState({ warmupRuns: '3', runs: '15', networks: '30', minutes: '10' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<BrowserProgress | null>(null);
  const [profile, setProfile] = useState<BrowserProfile | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<{ id: string; name: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = {
      warmupRuns: Number(settings.warmupRuns),
      runs: Number(settings.runs),
      networks: Number(settings.networks),
      minutes: Number(settings.minutes),
    };
    const found: Record<string, string> = {};
    if (!Number.isInteger(parsed.warmupRuns) || parsed.warmupRuns < 0)
      found.warmupRuns = 'Warm-up runs must be a whole number of at least 0.';
    if (!Number.isInteger(parsed.runs) || parsed.runs < 1)
      found.runs = 'Timed runs must be a whole number of at least 1.';
    if (!Number.isInteger(parsed.networks) || parsed.networks < 0)
      found.networks = 'Networks must be a whole number of at least 0.';
    if (!(parsed.minutes > 0)) found.minutes = 'The time limit must be greater than 0 minutes.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setRunning(true);
    setFailure(null);
    setProfile(null);
    setSaved(null);
    abort.current = new AbortController();
    try {
      const { measureInBrowser } = await import('./browser-profile.js');
      const result = await measureInBrowser(
        space,
        {
          warmupRuns: parsed.warmupRuns,
          runs: parsed.runs,
          networks: parsed.networks,
          timeLimitMs: parsed.minutes * 60_000,
          seed: 1,
        },
        setProgress,
        abort.current.signal,
      );
      setProfile(result);
      setName(
        `${describeDevice().split(',')[0]} ${result.backend} ${space.inputShape.join('x')} ${result.measuredAt.slice(0, 16)}`.slice(
          0,
          100,
        ),
      );
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setRunning(false);
    }
  };

  const upload = async () => {
    if (!profile) return;
    if (name.trim() === '' || name.length > 100) {
      setErrors({ name: 'The name must be 1 to 100 characters.' });
      return;
    }
    setErrors({});
    setFailure(null);
    try {
      const data = await request(CreateLatencyProfile, {
        input: {
          name: name.trim(),
          device: describeDevice(),
          backend: profile.backend,
          inputShape: [...space.inputShape],
          table: profile.table,
          flopsFit: profile.flopsFit,
          measuredAt: profile.measuredAt,
          source: 'BROWSER',
        },
      });
      setSaved(data.createLatencyProfile);
    } catch (error) {
      setFailure(messageOf(error));
    }
  };

  const text = (key: keyof typeof settings) => ({
    value: settings[key],
    onChange: (event: { target: { value: string } }) =>
      setSettings((current) => ({ ...current, [key]: event.target.value })),
    disabled: running,
  });

  return (
    <>
      <form className="form panel" onSubmit={start} noValidate aria-label="Measurement settings">
        <p>
          Times every layer configuration of {spaceLabel} at batch 1 on TensorFlow.js&apos;s WASM backend in
          this browser, then random students end to end for the FLOPs fit. Keep this tab in front while it
          runs.
        </p>
        <div className="fields">
          <Field id="measure-warmup" label="Warm-up runs per part" error={errors.warmupRuns}>
            <input inputMode="numeric" {...text('warmupRuns')} />
          </Field>
          <Field
            id="measure-runs"
            label="Timed runs per part"
            error={errors.runs}
            help="The median is stored."
          >
            <input inputMode="numeric" {...text('runs')} />
          </Field>
          <Field id="measure-networks" label="Random students" error={errors.networks}>
            <input inputMode="numeric" {...text('networks')} />
          </Field>
          <Field id="measure-minutes" label="Time limit (minutes)" error={errors.minutes}>
            <input inputMode="decimal" {...text('minutes')} />
          </Field>
        </div>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={running}>
            {running ? 'Measuring…' : 'Measure'}
          </button>
          {running && (
            <button type="button" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          )}
        </div>
        {progress && (
          <div aria-live="polite">
            <ProgressBar
              value={progress.done}
              max={progress.total}
              label={progress.phase === 'parts' ? 'Parts timed' : 'Students timed'}
            />
            <p className="help">
              {progress.phase === 'parts' ? 'Timing parts' : 'Timing whole students'},{' '}
              {duration(progress.elapsedMs)} so far.
            </p>
          </div>
        )}
      </form>
      {failure && <ErrorBox error={failure} title="The measurement or upload failed" />}
      {profile && (
        <section className="panel" aria-labelledby="measured-heading" data-testid="measured-profile">
          <h2 id="measured-heading">Measured</h2>
          <dl className="kv">
            <dt>Backend</dt>
            <dd>{profile.backend}</dd>
            <dt>Parts</dt>
            <dd>
              {profile.partsMeasured} of {profile.partsTotal}
              {profile.partsMeasured < profile.partsTotal &&
                ' (incomplete: TABLE experiments need every part; FLOPS ones only the fit)'}
            </dd>
            <dt>Students</dt>
            <dd>{profile.networksMeasured}</dd>
            <dt>Overheads</dt>
            <dd>
              call {ms(profile.callOverheadMs)}, network {ms(profile.networkOverheadMs)}
            </dd>
            <dt>FLOPs fit</dt>
            <dd>
              {profile.flopsFit
                ? `${ms(profile.flopsFit.interceptMs)} + ${num(profile.flopsFit.slopeMsPerFlop * 1e6, 3)} ms per MFLOP, R² ${num(profile.flopsFit.r2, 3)}`
                : 'none (needs two students of different FLOPs)'}
            </dd>
            <dt>Duration</dt>
            <dd>{duration(profile.durationMs)}</dd>
          </dl>
          {canEdit ? (
            <div className="toolbar">
              <Field id="profile-name" label="Profile name" error={errors.name}>
                <input value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />
              </Field>
              <button
                type="button"
                className="primary"
                onClick={() => void upload()}
                disabled={saved !== null}
              >
                Upload profile
              </button>
            </div>
          ) : (
            <p className="help">Uploading a profile needs an editor token.</p>
          )}
          {saved && (
            <p role="status" className="notice">
              Saved as &quot;{saved.name}&quot;. <Link href="/latency">All profiles</Link>
            </p>
          )}
        </section>
      )}
    </>
  );
}

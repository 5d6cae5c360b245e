// Display formats shared by the pages. Inputs that the API may leave null show as an en dash.

const DASH = '–';

/** Formats a fraction in [0, 1] as a percentage with `digits` decimals, for example `91.3%`. */
export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

/** Formats a signed difference of two fractions in percentage points, for example `+1.2 pp`. */
export function points(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const text = (value * 100).toFixed(digits);
  return `${value > 0 ? '+' : ''}${text} pp`;
}

/** Formats milliseconds with three significant digits, for example `4.27 ms`. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${value.toPrecision(3)} ms`;
}

/** Formats a duration in milliseconds as seconds or minutes, for example `42 s` or `3.5 min`. */
export function duration(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 120_000) return `${(value / 1000).toFixed(1)} s`;
  return `${(value / 60_000).toFixed(1)} min`;
}

/**
 * Formats a count with a metric suffix, for example `1.24M` or `530k`. Counts arrive as decimal
 * strings (the API's BigInt scalar) or numbers.
 */
export function compact(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return DASH;
  const n = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(n)) return String(value);
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toPrecision(3)}k`;
  return String(n);
}

/** Formats a number with up to `digits` significant digits, or a dash. */
export function num(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return String(Number(value.toPrecision(digits)));
}

/** Formats an ISO date-time as local date and time to the minute. */
export function dateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Formats the age of an ISO date-time relative to `now`, for example `12 s ago`. */
export function age(value: string | null | undefined, now: number = Date.now()): string {
  if (!value) return DASH;
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** Turns an enum value such as `POLICY_GRADIENT` into `policy gradient`. */
export function enumLabel(value: string | null | undefined): string {
  if (!value) return DASH;
  return value.toLowerCase().replace(/_/g, ' ');
}

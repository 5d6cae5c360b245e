import { AkdError } from './errors.js';

/** Structured fields attached to a log line (ids, counts, durations). */
export type LogFields = Record<string, unknown>;

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const FORMATS = ['text', 'json'];

/**
 * Throws INVALID_INPUT when `AKD_LOG_LEVEL` or `AKD_LOG_FORMAT` is set to a value that the logger does
 * not know. The logger itself falls back to info and text, so programs call this once at start-up to
 * report a misspelt setting instead of ignoring it.
 */
export function checkLogSettings(env: Record<string, string | undefined> = process.env): void {
  const level = env.AKD_LOG_LEVEL;
  if (level !== undefined && level !== '' && !Object.hasOwn(ORDER, level)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid AKD_LOG_LEVEL=${level}: use debug, info, warn or error, or unset it for info.`,
      { AKD_LOG_LEVEL: level },
    );
  }
  const format = env.AKD_LOG_FORMAT;
  if (format !== undefined && format !== '' && !FORMATS.includes(format)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid AKD_LOG_FORMAT=${format}: use text or json, or unset it for text.`,
      { AKD_LOG_FORMAT: format },
    );
  }
}

/**
 * Minimal structured logger writing one line per event to stderr: JSON when `AKD_LOG_FORMAT=json`,
 * otherwise `level context message key=value`. `AKD_LOG_LEVEL` sets the threshold (default info).
 */
export class Logger {
  constructor(
    readonly context: string,
    private readonly fields: LogFields = {},
  ) {}

  /** Returns a logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    return new Logger(this.context, { ...this.fields, ...fields });
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: Level, message: string, fields?: LogFields): void {
    const threshold = process.env.AKD_LOG_LEVEL;
    const minimum =
      threshold !== undefined && Object.hasOwn(ORDER, threshold) ? ORDER[threshold as Level] : ORDER.info;
    if (ORDER[level] < minimum) return;
    const all = { ...this.fields, ...fields };
    if (process.env.AKD_LOG_FORMAT === 'json') {
      const line = { time: new Date().toISOString(), level, context: this.context, message, ...all };
      process.stderr.write(JSON.stringify(line, jsonReplacer) + '\n');
      return;
    }
    const pairs = Object.entries(all)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(' ');
    process.stderr.write(`${level.padEnd(5)} [${this.context}] ${message}${pairs ? ' ' + pairs : ''}\n`);
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

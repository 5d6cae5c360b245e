import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AkdError, Logger } from '@akd/core';
import type { Genome } from '@akd/search-space';
import type { ProxyResult, ProxyTaskSpec } from './proxy-task.js';
import type { ChildReply, ChildRequest } from './protocol.js';

interface Job {
  request: ChildRequest;
  resolve: (result: ProxyResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  job: Job | null;
  backend: string | null;
}

const CHILD_PATH = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Options of {@link ProxyTaskPool}. */
export interface ProxyTaskPoolOptions {
  /** Worker processes; defaults to `AKD_WORKERS` or one per core. */
  processes?: number;
}

/** Returns the process count from `AKD_WORKERS`, or one per core. */
export function defaultProcessCount(): number {
  const fromEnv = process.env.AKD_WORKERS;
  if (fromEnv !== undefined && fromEnv !== '') {
    const value = Number(fromEnv);
    if (!Number.isInteger(value) || value < 1) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid AKD_WORKERS=${fromEnv}: use a whole number of at least 1.`,
      );
    }
    return value;
  }
  return availableParallelism();
}

/**
 * Scores students in parallel worker processes, one candidate per process at a time, so training
 * uses every core. A process that dies fails only its own candidate and is replaced.
 */
export class ProxyTaskPool {
  private readonly log = new Logger('ProxyTaskPool');
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Backend reported by the worker processes once they are ready. */
  backend: string | null = null;

  constructor(options: ProxyTaskPoolOptions = {}) {
    const processes = options.processes ?? defaultProcessCount();
    if (!Number.isInteger(processes) || processes < 1) {
      throw new AkdError('INVALID_INPUT', `Invalid worker process count ${processes}: use at least 1.`);
    }
    for (let i = 0; i < processes; i++) this.slots.push(this.spawn());
  }

  /** Number of worker processes. */
  get size(): number {
    return this.slots.length;
  }

  /** Scores `genome` on the proxy task of `spec` in the next free worker process. */
  evaluate(spec: ProxyTaskSpec, genome: Genome, seed?: number): Promise<ProxyResult> {
    if (this.closed) return Promise.reject(new AkdError('UNAVAILABLE', 'The worker pool is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, spec, genome, seed }, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the worker processes; queued candidates are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new AkdError('UNAVAILABLE', 'The worker pool was closed.'));
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.child.once('exit', () => resolve());
            slot.child.kill('SIGTERM');
          }),
      ),
    );
  }

  private spawn(): Slot {
    const child = fork(CHILD_PATH, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Slot = { child, ready: false, job: null, backend: null };
    child.on('message', (reply: ChildReply) => this.onReply(slot, reply));
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    return slot;
  }

  private onReply(slot: Slot, reply: ChildReply): void {
    switch (reply.type) {
      case 'ready':
        slot.ready = true;
        slot.backend = reply.backend;
        this.backend ??= reply.backend;
        this.dispatch();
        return;
      case 'result':
      case 'error': {
        const job = slot.job;
        slot.job = null;
        if (job && job.request.id === reply.id) {
          if (reply.type === 'result') job.resolve(reply.result);
          else job.reject(new AkdError(reply.code, reply.message));
        }
        this.dispatch();
        return;
      }
      case 'fatal':
        this.log.error('worker process failed to start', { pid: slot.child.pid, error: reply.message });
        this.fatal = new AkdError(reply.code, reply.message);
        return;
    }
  }

  private fatal: AkdError | null = null;

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const job = slot.job;
    slot.job = null;
    if (job) {
      job.reject(
        new AkdError(
          'INTERNAL',
          `Worker process ${slot.child.pid} exited (code ${code}, signal ${signal}) while training.`,
        ),
      );
    }
    if (this.closed) return;
    const index = this.slots.indexOf(slot);
    if (this.fatal) {
      // A process that cannot even start (no backend) would fail again: fail the queue instead.
      for (const queued of this.queue.splice(0)) queued.reject(this.fatal);
      this.slots.splice(index, 1);
      return;
    }
    this.log.warn('worker process exited; starting a new one', { pid: slot.child.pid, code, signal });
    this.slots[index] = this.spawn();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.child.send(job.request);
    }
  }
}

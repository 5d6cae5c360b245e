import cluster, { type Worker } from 'node:cluster';
import { Logger } from '@akd/core';
import { isSiblingMessage, type GatherReply, type SiblingMessage } from './sibling-messages.js';

const log = new Logger('api.cluster');

/** How long the primary waits for the replies to a gather request before it replies with the ones it has. */
const GATHER_TIMEOUT_MS = 2000;

/** Options of {@link runApiProcessGroup}. */
export interface ProcessGroupOptions {
  /** Number of API processes to fork. */
  processes: number;
  /** Address that the processes listen on, for the log line. */
  host: string;
  port: number;
  /** Called once after every process stopped, to release what the primary holds (the database). */
  onStopped(): Promise<void>;
}

/** A gather request that the primary forwarded, waiting for the replies of the processes. */
interface PendingGather {
  asker: Worker;
  askerRequestId: number;
  waitingFor: Set<number>;
  payloads: unknown[];
  timer: NodeJS.Timeout;
}

/**
 * Runs the API as a group of `processes` node:cluster worker processes that share the listening
 * socket, and the primary process (this one) distributes the connections among them. The caller has
 * already applied the migrations and created the initial token, so the workers only serve.
 *
 * A worker that exits after it started listening is replaced. A worker that exits before, for
 * example because the database went away during its start, stops the whole group with exit
 * code 1, so that a broken setup does not restart forever. SIGINT and SIGTERM stop every worker
 * (each closes its server and connections) and then the primary.
 */
export function runApiProcessGroup(options: ProcessGroupOptions): void {
  let stopping = false;
  let nextGatherId = 1;
  const listening = new Set<number>();
  const gathers = new Map<number, PendingGather>();

  const finishGather = (gatherId: number): void => {
    const pending = gathers.get(gatherId);
    if (!pending) return;
    clearTimeout(pending.timer);
    gathers.delete(gatherId);
    if (pending.asker.isConnected()) {
      const reply: GatherReply = {
        channel: 'akd-api',
        kind: 'gather-reply',
        requestId: pending.askerRequestId,
        payloads: pending.payloads,
      };
      pending.asker.send(reply);
    }
  };

  const relay = (sender: Worker, message: SiblingMessage): void => {
    const workers = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && worker.isConnected(),
    );
    if (message.kind === 'broadcast') {
      for (const worker of workers) if (worker !== sender) worker.send(message);
    } else if (message.kind === 'gather') {
      const gatherId = nextGatherId++;
      gathers.set(gatherId, {
        asker: sender,
        askerRequestId: message.requestId,
        waitingFor: new Set(workers.map((worker) => worker.id)),
        payloads: [],
        timer: setTimeout(() => finishGather(gatherId), GATHER_TIMEOUT_MS),
      });
      for (const worker of workers) worker.send({ ...message, requestId: gatherId });
    } else {
      const pending = gathers.get(message.requestId);
      if (!pending || !pending.waitingFor.delete(sender.id)) return;
      pending.payloads.push(...message.payloads);
      if (pending.waitingFor.size === 0) finishGather(message.requestId);
    }
  };

  const fork = (): void => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isSiblingMessage(message)) relay(worker, message);
    });
  };

  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    if (listening.size === options.processes) {
      log.info('API processes listening', {
        processes: options.processes,
        host: options.host,
        port: options.port,
        pids: Object.values(cluster.workers ?? {}).map((each) => each?.process.pid),
      });
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const wasListening = listening.delete(worker.id);
    for (const [gatherId, pending] of gathers) {
      if (pending.waitingFor.delete(worker.id) && pending.waitingFor.size === 0) finishGather(gatherId);
    }
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
      return;
    }
    if (wasListening) {
      log.error('an API process exited; starting another', { pid: worker.process.pid, code, signal });
      fork();
      return;
    }
    log.error('an API process exited before it listened; stopping the API', {
      pid: worker.process.pid,
      code,
      signal,
    });
    process.exitCode = 1;
    stop('start failure');
  });

  let finished = false;
  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    await options.onStopped();
  };

  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping the API processes', { reason });
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    if (workers.length === 0) {
      void finish();
      return;
    }
    for (const worker of workers) worker.process.kill('SIGTERM');
  };

  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  for (let index = 0; index < options.processes; index++) fork();
}

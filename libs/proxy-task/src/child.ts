// Worker process of ProxyTaskPool: scores one student at a time on the proxy task.
import { AkdError, Logger } from '@akd/core';
import { initBackend } from '@akd/engine';
import { ProxyTask, type ProxyTaskSpec } from './proxy-task.js';
import type { ChildReply, ChildRequest } from './protocol.js';

const log = new Logger('ProxyTaskChild', { pid: process.pid });
const tasks = new Map<string, Promise<ProxyTask>>();
const MAX_CACHED_TASKS = 6;

function taskFor(spec: ProxyTaskSpec): Promise<ProxyTask> {
  const key = JSON.stringify(spec);
  let task = tasks.get(key);
  if (!task) {
    task = ProxyTask.create(spec);
    tasks.set(key, task);
    task.catch(() => tasks.delete(key));
    if (tasks.size > MAX_CACHED_TASKS) tasks.delete(tasks.keys().next().value as string);
  }
  return task;
}

function send(reply: ChildReply): void {
  process.send?.(reply);
}

async function handle(request: ChildRequest): Promise<void> {
  try {
    const task = await taskFor(request.spec);
    const result = await task.evaluate(request.genome, { seed: request.seed });
    send({ type: 'result', id: request.id, result });
  } catch (error) {
    const err = error as Error;
    log.warn('candidate failed', { id: request.id, error: err.message });
    send({
      type: 'error',
      id: request.id,
      code: error instanceof AkdError ? error.code : 'INTERNAL',
      message: err.message,
    });
  }
}

async function main(): Promise<void> {
  const backend = await initBackend();
  send({ type: 'ready', backend: backend.name });
  let queue = Promise.resolve();
  process.on('message', (request: ChildRequest) => {
    queue = queue.then(() => handle(request));
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  send({
    type: 'fatal',
    message: (error as Error).message,
    code: error instanceof AkdError ? error.code : 'INTERNAL',
  });
  process.exit(1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeCandidateMessage, ProbeDoneMessage } from './memory-probe.js';

const PROBE_PATH = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const CANDIDATES = 50;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Runs the probe in its own process and returns its messages once it exits. */
function runProbe(): Promise<{ candidates: ProbeCandidateMessage[]; done: ProbeDoneMessage | null }> {
  return new Promise((resolve, reject) => {
    const child = fork(PROBE_PATH, [], {
      // --expose-gc lets the probe measure the V8 heap after a full collection.
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, AKD_PROBE_CANDIDATES: String(CANDIDATES), AKD_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const candidates: ProbeCandidateMessage[] = [];
    let done: ProbeDoneMessage | null = null;
    child.on('message', (message: ProbeCandidateMessage | ProbeDoneMessage) => {
      if (message.type === 'candidate') candidates.push(message);
      else done = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve({ candidates, done });
      else reject(new Error(`The memory probe exited with code ${code}, signal ${signal}.`));
    });
  });
}

// The probe took about 80 s of CPU time on the 2-core development machine, but 4 to 5 minutes of
// wall time while other jobs loaded it, so the timeout is generous.
test('50 candidates keep memory flat', { timeout: 600_000 }, async () => {
  const { candidates, done } = await runProbe();
  assert.ok(done, 'the probe finished');
  assert.equal(candidates.length, CANDIDATES);
  assert.deepEqual(
    candidates.slice(0, 2).map((candidate) => candidate.searchBy),
    ['hard-label', 'distillation'],
  );

  for (const candidate of candidates) {
    const label = `candidate ${candidate.index} (${candidate.searchBy}, ${candidate.params} parameters)`;
    assert.equal(candidate.numTensors, done.startTensors, `tensors after ${label}`);
    assert.equal(candidate.dataIds, done.startDataIds, `backend buffers after ${label}`);
  }

  const afterFive = candidates[4];
  const atEnd = candidates[CANDIDATES - 1];
  assert.ok(
    atEnd.rss <= 1.25 * afterFive.rss,
    `resident memory ${mib(atEnd.rss)} after ${CANDIDATES} candidates, ${mib(afterFive.rss)} after 5 (limit +25%) on ${done.backend}; WASM heap ${mib(atEnd.wasmHeap)} and ${mib(afterFive.wasmHeap)}, V8 heap ${mib(atEnd.heapUsed)} and ${mib(afterFive.heapUsed)}`,
  );
});

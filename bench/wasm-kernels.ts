// Measures training throughput (images/s, by wall and by CPU time) of a small 4-conv network on the wasm
// backend. It lists where one wasm forward and backward pass spends its time per kernel, in wall and CPU
// time, and optionally runs one step on the pure-JS cpu backend for comparison.
//
//   npx tsx bench/wasm-kernels.ts         # wasm only, about 5 s
//   npx tsx bench/wasm-kernels.ts --cpu   # also one cpu step of batch 8, about 10 s more
//
// Network: 28x28x1 input, conv3x3 32 -> conv3x3 32 stride 2 -> conv3x3 64 -> conv3x3 64 stride 2 (all
// 'same' padding, bias, ReLU) -> global average pooling -> dense 10, softmax cross-entropy, Adam, batch 64
// (batch 8 on cpu, whose single step is a rough figure that includes first-call overhead).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../libs/engine/src/index.js';
import { type Network, buildNetwork, makeBatch } from './four-conv-net.js';

async function measure(
  backend: 'wasm' | 'cpu',
  batch: number,
  warmupSteps: number,
  steps: number,
): Promise<number> {
  await initBackend({ backend });
  const network = buildNetwork();
  const optimizer = tf.train.adam(1e-3);
  const { x, labels } = makeBatch(batch);
  const step = (): void => {
    const cost = optimizer.minimize(() => network.loss(x, labels), true, network.variables);
    cost?.dataSync();
    cost?.dispose();
  };
  for (let i = 0; i < warmupSteps; i++) step();
  const start = performance.now();
  const startCpu = cpuMs();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = (cpuMs() - startCpu) / 1000;
  const perSecond = (steps * batch) / seconds;
  console.log(
    `${backend}: ${perSecond.toFixed(1)} images/s (${steps} steps of batch ${batch}, ${((seconds / steps) * 1000).toFixed(1)} ms/step); ` +
      `by CPU time ${((steps * batch) / cpuSeconds).toFixed(1)} images/s, ${((cpuSeconds / steps) * 1000).toFixed(1)} ms/step`,
  );

  if (backend === 'wasm') await profileStep(network, x, labels);
  tf.dispose([x, labels, ...network.variables]);
  optimizer.dispose();
  return perSecond;
}

/** Returns the CPU time of this process in ms, which other processes on the machine disturb less than wall time. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Prints the time of each kernel in one forward and backward pass, summed by kernel name. The wall time is
 * what tf.profile reports for one pass. The CPU time is the mean over `passes` passes, measured by
 * wrapping every registered wasm kernel.
 */
async function profileStep(network: Network, x: tf.Tensor4D, labels: tf.Tensor2D, passes = 5): Promise<void> {
  const pass = (): void => {
    const { value, grads } = tf.variableGrads(() => network.loss(x, labels), network.variables);
    tf.dispose([value, ...Object.values(grads)]);
  };
  const info = await tf.profile(pass);
  const totals = new Map<string, { ms: number; cpuMs: number; calls: number }>();
  for (const kernel of info.kernels) {
    const ms = await kernel.kernelTimeMs;
    const entry = totals.get(kernel.name) ?? { ms: 0, cpuMs: 0, calls: 0 };
    entry.ms += typeof ms === 'number' ? ms : 0;
    entry.calls += 1;
    totals.set(kernel.name, entry);
  }

  const wrapped = tf
    .getKernelsForBackend('wasm')
    .map((config) => ({ config, kernelFunc: config.kernelFunc }));
  for (const { config, kernelFunc } of wrapped) {
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      const start = cpuMs();
      const result = kernelFunc(args);
      const entry = totals.get(config.kernelName);
      if (entry !== undefined) entry.cpuMs += (cpuMs() - start) / passes;
      return result;
    };
  }
  const start = cpuMs();
  try {
    for (let i = 0; i < passes; i++) pass();
  } finally {
    for (const { config, kernelFunc } of wrapped)
      (config as { kernelFunc: tf.KernelFunc }).kernelFunc = kernelFunc;
  }
  const passCpuMs = (cpuMs() - start) / passes;

  const rows = [...totals.entries()].sort((a, b) => b[1].cpuMs - a[1].cpuMs);
  const total = rows.reduce((sum, [, entry]) => sum + entry.ms, 0);
  const totalCpu = rows.reduce((sum, [, entry]) => sum + entry.cpuMs, 0);
  console.log(
    `wasm kernel time for one forward+backward pass: ${total.toFixed(1)} ms wall, ${totalCpu.toFixed(1)} ms CPU ` +
      `(${passCpuMs.toFixed(1)} ms CPU for the whole pass, mean of ${passes})`,
  );
  for (const [name, entry] of rows.slice(0, 12)) {
    console.log(
      `  ${name.padEnd(36)} ${entry.ms.toFixed(1).padStart(7)} ms  ${entry.cpuMs.toFixed(1).padStart(7)} ms CPU  ` +
        `${String(entry.calls).padStart(3)} calls`,
    );
  }
}

await measure('wasm', 64, 2, 10);
if (process.argv.includes('--cpu')) await measure('cpu', 8, 0, 1);

// Lists which training operations fail to differentiate on the stock wasm backend and whether they do
// after initBackend registers this package's kernels, with the kernel-not-found (or other) error of each.
// Rerun it after upgrading @tensorflow/tfjs-backend-wasm to see which registered kernels are still needed.
// It finds only errors: wrong values, such as those of the stock MaxPoolGrad, show in
// libs/engine/src/backend/gradient-coverage.test.ts, which compares every case with the cpu backend.
//
//   npx tsx bench/wasm-gradient-coverage.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { initBackend } from '../libs/engine/src/index.js';
import { TRAINING_OP_CASES, caseGradients } from '../libs/engine/src/backend/gradient-coverage.js';

function report(label: string): void {
  const failures = TRAINING_OP_CASES.map((testCase) => ({
    testCase,
    result: caseGradients(testCase),
  })).filter(({ result }) => !result.ok);
  console.log(
    `${label}: ${TRAINING_OP_CASES.length - failures.length} of ${TRAINING_OP_CASES.length} cases differentiate`,
  );
  for (const { testCase, result } of failures) {
    console.log(`  ${testCase.name}: ${result.ok ? '' : result.error}`);
  }
}

await tf.setBackend('wasm');
report('stock tfjs-backend-wasm');
await initBackend({ backend: 'wasm' });
report('with the @akd/engine kernels');

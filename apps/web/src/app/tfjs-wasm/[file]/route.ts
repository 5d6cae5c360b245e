// Serves the WebAssembly binaries of @tensorflow/tfjs-backend-wasm to the latency page, from the
// installed package, so that the browser runs the same TensorFlow.js version as the workers.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const dynamic = 'force-static';

/** The binaries the WASM backend loads: plain, SIMD, and SIMD with threads. */
const FILES = new Set([
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
]);

export function generateStaticParams(): { file: string }[] {
  return [...FILES].map((file) => ({ file }));
}

export async function GET(
  _request: Request,
  context: { params: Promise<{ file: string }> },
): Promise<Response> {
  const { file } = await context.params;
  if (!FILES.has(file)) return new Response('Not found', { status: 404 });
  // Resolved from the dashboard's directory at run time, which finds the hoisted workspace package.
  const require = createRequire(join(process.cwd(), 'package.json'));
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const bytes = await readFile(join(dirname(packageJson), 'dist', file));
  return new Response(new Uint8Array(bytes), {
    headers: { 'content-type': 'application/wasm', 'cache-control': 'public, max-age=86400' },
  });
}

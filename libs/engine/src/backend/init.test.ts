import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';
import { activeBackend, initBackend } from './init.js';

let savedEnvironment: string | undefined;

beforeEach(() => {
  savedEnvironment = process.env.AKD_BACKEND;
  delete process.env.AKD_BACKEND;
});

afterEach(() => {
  if (savedEnvironment === undefined) delete process.env.AKD_BACKEND;
  else process.env.AKD_BACKEND = savedEnvironment;
});

async function nativePackageInstalled(): Promise<boolean> {
  try {
    const specifier: string = '@tensorflow/tfjs-node';
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it('names a forced backend that cannot load', async (t) => {
    if (await nativePackageInstalled()) t.skip('@tensorflow/tfjs-node is installed here');
    await assert.rejects(initBackend({ backend: 'node' }), (error: unknown) => {
      assert.ok(error instanceof AkdError);
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /The node TensorFlow\.js backend is unavailable/);
      assert.match(error.message, /Install @tensorflow\/tfjs-node/);
      return true;
    });
  });

  it('reads a forced backend from AKD_BACKEND', async () => {
    process.env.AKD_BACKEND = 'node-gpu';
    await assert.rejects(initBackend(), (error: unknown) => {
      assert.ok(error instanceof AkdError);
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /The node-gpu TensorFlow\.js backend is unavailable/);
      assert.match(error.message, /@tensorflow\/tfjs-node-gpu/);
      return true;
    });
  });

  it('rejects an unknown AKD_BACKEND value', async () => {
    process.env.AKD_BACKEND = 'webgl';
    await assert.rejects(initBackend(), (error: unknown) => {
      assert.ok(error instanceof AkdError);
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, /AKD_BACKEND is set to "webgl".*node-gpu, node, wasm, cpu/);
      return true;
    });
  });

  it('falls back to wasm without tfjs-node', async (t) => {
    if (await nativePackageInstalled()) t.skip('@tensorflow/tfjs-node is installed here');
    const info = await initBackend();
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.threads, 1);
    assert.equal(info.simd, true);
  });

  it('returns the same result when called again', async () => {
    const first = await initBackend({ backend: 'wasm' });
    const second = await initBackend({ backend: 'wasm' });
    assert.equal(second, first);
    assert.equal(activeBackend(), first);
  });

  it('switches when another backend is forced', async () => {
    const info = await initBackend({ backend: 'cpu' });
    assert.deepEqual(info, { name: 'cpu', tfjsName: 'cpu' });
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('registers the wasm training kernels', async () => {
    await initBackend({ backend: 'wasm' });
    for (const kernel of [
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ]) {
      assert.ok(tf.getKernel(kernel, 'wasm') !== undefined, `${kernel} is registered`);
    }
  });
});

describe('activeBackend', () => {
  it('follows a manual tf.setBackend', async () => {
    await initBackend({ backend: 'wasm' });
    await tf.setBackend('cpu');
    assert.deepEqual(activeBackend(), { name: 'cpu', tfjsName: 'cpu' });
    await tf.setBackend('wasm');
    assert.equal(activeBackend()?.name, 'wasm');
  });
});

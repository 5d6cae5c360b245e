import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  KernelSetupFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';

// Some kernels of this package replace a tfjs-backend-wasm kernel only for the inputs they handle well and
// pass everything else on to the replaced ("stock") kernel. The stock configs are kept here once they
// are unregistered.

const stockKernels = new Map<string, KernelConfig>();

/** Stores the stock wasm kernel `config` so that a replacement can still run it. Keeps the first one stored. */
export function rememberStockKernel(config: KernelConfig): void {
  if (!stockKernels.has(config.kernelName)) stockKernels.set(config.kernelName, config);
}

/**
 * Returns a setupFunc that runs the stock kernel's own setup. A replacement needs it because the engine
 * sets up only the kernels registered when the backend is selected, and the stock kernel no longer is.
 */
export function stockSetup(kernelName: string): KernelSetupFunc {
  return (backend) => stockKernels.get(kernelName)?.setupFunc?.(backend);
}

/** Runs the stock wasm kernel `kernelName` on the arguments a replacement received. */
export function runStockKernel(
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap | undefined,
  backend: object,
): TensorInfo {
  const config = stockKernels.get(kernelName);
  if (config === undefined) {
    throw new AkdError(
      'INTERNAL',
      `The stock wasm kernel ${kernelName} was not stored before it was replaced.`,
    );
  }
  const kernelFunc: KernelFunc = config.kernelFunc;
  const result = kernelFunc({ inputs, attrs: attrs ?? {}, backend: backend as KernelBackend });
  if (Array.isArray(result)) {
    throw new AkdError('INTERNAL', `The stock wasm kernel ${kernelName} returned several outputs.`);
  }
  return result;
}

import { AkdError } from '@akd/core';

/** Hyperparameters of {@link Adam}. */
export interface AdamOptions {
  learningRate: number;
  /** Decay of the first-moment estimate; defaults to 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate; defaults to 0.999. */
  beta2?: number;
  /** Term added to the denominator for numerical stability; defaults to 1e-8. */
  epsilon?: number;
}

/** Serializable state of {@link Adam}: the step count and both moment estimates. */
export type AdamState = {
  step: number;
  firstMoment: number[];
  secondMoment: number[];
};

/**
 * Adam optimizer over a flat parameter vector, with bias-corrected moment estimates. Its state is plain numbers, so a saved and restored optimizer takes the same steps.
 */
export class Adam {
  private readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private step = 0;
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;

  constructor(size: number, options: AdamOptions, state?: AdamState) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.firstMoment = new Float64Array(size);
    this.secondMoment = new Float64Array(size);
    if (state) {
      if (state.firstMoment.length !== size || state.secondMoment.length !== size) {
        throw new AkdError(
          'INVALID_INPUT',
          `Invalid Adam state: expected moments of length ${size}, got ${state.firstMoment.length} and ${state.secondMoment.length}.`,
        );
      }
      this.step = state.step;
      this.firstMoment.set(state.firstMoment);
      this.secondMoment.set(state.secondMoment);
    }
  }

  /** Updates `parameters` in place by one Adam step along the loss gradient `gradient`. */
  apply(parameters: Float64Array, gradient: Float64Array): void {
    this.step += 1;
    const correction1 = 1 - Math.pow(this.beta1, this.step);
    const correction2 = 1 - Math.pow(this.beta2, this.step);
    for (let i = 0; i < parameters.length; i++) {
      const g = gradient[i];
      this.firstMoment[i] = this.beta1 * this.firstMoment[i] + (1 - this.beta1) * g;
      this.secondMoment[i] = this.beta2 * this.secondMoment[i] + (1 - this.beta2) * g * g;
      const mHat = this.firstMoment[i] / correction1;
      const vHat = this.secondMoment[i] / correction2;
      parameters[i] -= (this.learningRate * mHat) / (Math.sqrt(vHat) + this.epsilon);
    }
  }

  /** Returns a copy of the optimizer state. */
  state(): AdamState {
    return {
      step: this.step,
      firstMoment: Array.from(this.firstMoment),
      secondMoment: Array.from(this.secondMoment),
    };
  }
}

import { AkdError, type Rng } from '@akd/core';
import {
  argmax,
  checkChoiceCounts,
  checkChoices,
  entropy,
  sampleIndex,
  softmax,
  softmaxLogitGradient,
  type ControllerPass,
  type PolicyController,
} from './controller.js';

/** Half-width of the uniform distribution that initial weights are drawn from. */
const INIT_SCALE = 0.1;

/** Initial bias of the forget gate, so that early steps keep their cell state. */
const FORGET_GATE_BIAS = 1;

/**
 * Offsets of each weight group in the flat parameter vector. Matrices are row-major, and the
 * 4H gate rows are ordered input gate, forget gate, cell candidate, output gate.
 */
interface Layout {
  /** 4H × H matrix W applied to the step input. */
  inputWeights: number;
  /** 4H × H matrix U applied to the previous hidden state. */
  recurrentWeights: number;
  /** 4H gate biases. */
  gateBias: number;
  /** H-vector fed as the input of the first step. */
  startInput: number;
  /** Per decision, the n_d × H matrix of its softmax head. */
  headWeights: number[];
  /** Per decision, the n_d biases of its softmax head. */
  headBias: number[];
  /** Per decision except the last, the n_d × H table of choice embeddings fed to the next step. */
  embeddings: number[];
  /** Total number of weights. */
  size: number;
}

/** Values of one forward step that the backward pass reads. */
interface StepCache {
  input: Float64Array;
  previousHidden: Float64Array;
  previousCell: Float64Array;
  /** Gate activations: σ(input), σ(forget), tanh(candidate), σ(output), each of length H. */
  gates: Float64Array;
  cellTanh: Float64Array;
  hidden: Float64Array;
  cell: Float64Array;
  probabilities: number[];
}

/**
 * Autoregressive LSTM controller, as in NASNet, MnasNet and ENAS. A one-layer LSTM emits one
 * decision per step. Step t feeds its hidden state h_t to the softmax head of decision t, and
 * the embedding of the chosen value is the input of step t + 1. The first step reads a learned
 * start vector, and the hidden and cell states start at zero. Embeddings have the hidden size,
 * so every step input is an H-vector.
 *
 * The cell is the standard one without peepholes:
 *
 *   z = W x_t + U h_{t−1} + b,  i, f, o = σ(z_i, z_f, z_o),  g = tanh(z_g)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t),  p_t = softmax(V_t h_t + β_t)
 *
 * Gradients come from backpropagation through time over the cached steps of a pass.
 */
export class LstmPolicy implements PolicyController {
  readonly choiceCounts: readonly number[];
  readonly hiddenSize: number;
  /** All weights, in the order of the fields of `Layout`. */
  readonly parameters: Float64Array;
  private readonly layout: Layout;

  /**
   * Creates a policy with the given weights, whose count must equal
   * {@link LstmPolicy.parameterCount}.
   */
  constructor(choiceCounts: readonly number[], hiddenSize: number, weights: readonly number[]) {
    this.layout = layoutFor(choiceCounts, hiddenSize);
    this.choiceCounts = [...choiceCounts];
    this.hiddenSize = hiddenSize;
    if (weights.length !== this.layout.size) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid LSTM weights: expected ${this.layout.size} values for hidden size ${hiddenSize} and ${choiceCounts.length} decisions, got ${weights.length}.`,
      );
    }
    this.parameters = Float64Array.from(weights);
  }

  /** Returns the number of weights of an LSTM policy over these decisions. */
  static parameterCount(choiceCounts: readonly number[], hiddenSize: number): number {
    return layoutFor(choiceCounts, hiddenSize).size;
  }

  /**
   * Creates a policy whose weights are drawn uniformly from [−0.1, 0.1] with `rng`, except for
   * zero biases and forget-gate biases of 1. The small weights make the first distributions
   * close to uniform.
   */
  static initialize(choiceCounts: readonly number[], hiddenSize: number, rng: Rng): LstmPolicy {
    const layout = layoutFor(choiceCounts, hiddenSize);
    const weights = new Array<number>(layout.size);
    for (let i = 0; i < layout.size; i++) weights[i] = (2 * rng.next() - 1) * INIT_SCALE;

    const biases = [{ offset: layout.gateBias, count: 4 * hiddenSize }];
    choiceCounts.forEach((count, d) => biases.push({ offset: layout.headBias[d], count }));
    for (const { offset, count } of biases) weights.fill(0, offset, offset + count);
    weights.fill(FORGET_GATE_BIAS, layout.gateBias + hiddenSize, layout.gateBias + 2 * hiddenSize);
    return new LstmPolicy(choiceCounts, hiddenSize, weights);
  }

  sample(rng: Rng): number[] {
    return this.run((probabilities) => sampleIndex(probabilities, rng)).choices;
  }

  forward(choices: readonly number[]): ControllerPass {
    checkChoices(this.choiceCounts, choices);
    const fixed = [...choices];
    const { steps } = this.run((_, decision) => fixed[decision]);
    let logProb = 0;
    for (let t = 0; t < steps.length; t++) logProb += Math.log(steps[t].probabilities[fixed[t]]);
    return {
      logProb,
      entropies: steps.map((step) => entropy(step.probabilities)),
      backward: (logProbScale, entropyScale, gradient) =>
        this.backward(steps, fixed, logProbScale, entropyScale, gradient),
    };
  }

  greedy(): { choices: number[]; probabilities: number[][] } {
    const { steps, choices } = this.run((probabilities) => argmax(probabilities));
    return { choices, probabilities: steps.map((step) => step.probabilities) };
  }

  /** Runs the LSTM over every decision, taking at each step the choice that `choose` returns. */
  private run(choose: (probabilities: number[], decision: number) => number): {
    steps: StepCache[];
    choices: number[];
  } {
    const size = this.hiddenSize;
    const steps: StepCache[] = [];
    const choices: number[] = [];
    let input: Float64Array = this.parameters.slice(this.layout.startInput, this.layout.startInput + size);
    let hidden: Float64Array = new Float64Array(size);
    let cell: Float64Array = new Float64Array(size);
    for (let d = 0; d < this.choiceCounts.length; d++) {
      const step = this.step(input, hidden, cell, d);
      const choice = choose(step.probabilities, d);
      steps.push(step);
      choices.push(choice);
      hidden = step.hidden;
      cell = step.cell;
      if (d + 1 < this.choiceCounts.length) {
        const row = this.layout.embeddings[d] + choice * size;
        input = this.parameters.slice(row, row + size);
      }
    }
    return { steps, choices };
  }

  /** Computes one LSTM step and the distribution of `decision`. */
  private step(
    input: Float64Array,
    previousHidden: Float64Array,
    previousCell: Float64Array,
    decision: number,
  ): StepCache {
    const size = this.hiddenSize;
    const w = this.parameters;
    const layout = this.layout;

    const gates = new Float64Array(4 * size);
    for (let r = 0; r < 4 * size; r++) {
      const inputRow = layout.inputWeights + r * size;
      const recurrentRow = layout.recurrentWeights + r * size;
      let z = w[layout.gateBias + r];
      for (let j = 0; j < size; j++)
        z += w[inputRow + j] * input[j] + w[recurrentRow + j] * previousHidden[j];
      const isCandidate = r >= 2 * size && r < 3 * size;
      gates[r] = isCandidate ? Math.tanh(z) : sigmoid(z);
    }

    const cell = new Float64Array(size);
    const cellTanh = new Float64Array(size);
    const hidden = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      cell[j] = gates[size + j] * previousCell[j] + gates[j] * gates[2 * size + j];
      cellTanh[j] = Math.tanh(cell[j]);
      hidden[j] = gates[3 * size + j] * cellTanh[j];
    }

    const count = this.choiceCounts[decision];
    const logits = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const row = layout.headWeights[decision] + k * size;
      let logit = w[layout.headBias[decision] + k];
      for (let j = 0; j < size; j++) logit += w[row + j] * hidden[j];
      logits[k] = logit;
    }

    return {
      input,
      previousHidden,
      previousCell,
      gates,
      cellTanh,
      hidden,
      cell,
      probabilities: softmax(logits),
    };
  }

  /**
   * Adds to `gradient` the derivative of `logProbScale × Σ_t log p_t(a_t) + entropyScale ×
   * Σ_t H(p_t)` with respect to every weight, by backpropagation through time. Walks the steps
   * from last to first, carrying ∂/∂h_t and ∂/∂c_t from the later steps.
   */
  private backward(
    steps: readonly StepCache[],
    choices: readonly number[],
    logProbScale: number,
    entropyScale: number,
    gradient: Float64Array,
  ): void {
    if (gradient.length !== this.parameters.length) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid LSTM gradient buffer: expected ${this.parameters.length} values, got ${gradient.length}.`,
      );
    }
    const size = this.hiddenSize;
    const w = this.parameters;
    const layout = this.layout;
    let laterHiddenGradient = new Float64Array(size);
    let laterCellGradient = new Float64Array(size);

    for (let t = steps.length - 1; t >= 0; t--) {
      const step = steps[t];
      const logitGradient = softmaxLogitGradient(step.probabilities, choices[t], logProbScale, entropyScale);

      // Head: logits = V_t h_t + β_t. The hidden state also feeds the later steps.
      const hiddenGradient = Float64Array.from(laterHiddenGradient);
      for (let k = 0; k < logitGradient.length; k++) {
        const g = logitGradient[k];
        const row = layout.headWeights[t] + k * size;
        gradient[layout.headBias[t] + k] += g;
        for (let j = 0; j < size; j++) {
          gradient[row + j] += g * step.hidden[j];
          hiddenGradient[j] += w[row + j] * g;
        }
      }

      // Cell: h = o ⊙ tanh(c) and c = f ⊙ c_prev + i ⊙ g, so ∂c gathers the output path and the
      // later cell. Each gate's pre-activation gradient multiplies by σ' = s(1 − s) or tanh' = 1 − g².
      const gateGradient = new Float64Array(4 * size);
      const previousCellGradient = new Float64Array(size);
      for (let j = 0; j < size; j++) {
        const inputGate = step.gates[j];
        const forgetGate = step.gates[size + j];
        const candidate = step.gates[2 * size + j];
        const outputGate = step.gates[3 * size + j];
        const cellTanh = step.cellTanh[j];
        const cellGradient =
          laterCellGradient[j] + hiddenGradient[j] * outputGate * (1 - cellTanh * cellTanh);
        gateGradient[j] = cellGradient * candidate * inputGate * (1 - inputGate);
        gateGradient[size + j] = cellGradient * step.previousCell[j] * forgetGate * (1 - forgetGate);
        gateGradient[2 * size + j] = cellGradient * inputGate * (1 - candidate * candidate);
        gateGradient[3 * size + j] = hiddenGradient[j] * cellTanh * outputGate * (1 - outputGate);
        previousCellGradient[j] = cellGradient * forgetGate;
      }

      // Gates: z = W x + U h_prev + b.
      const inputGradient = new Float64Array(size);
      const previousHiddenGradient = new Float64Array(size);
      for (let r = 0; r < 4 * size; r++) {
        const g = gateGradient[r];
        const inputRow = layout.inputWeights + r * size;
        const recurrentRow = layout.recurrentWeights + r * size;
        gradient[layout.gateBias + r] += g;
        for (let j = 0; j < size; j++) {
          gradient[inputRow + j] += g * step.input[j];
          gradient[recurrentRow + j] += g * step.previousHidden[j];
          inputGradient[j] += w[inputRow + j] * g;
          previousHiddenGradient[j] += w[recurrentRow + j] * g;
        }
      }

      // The input is the start vector or the embedding row of the previous decision's choice.
      const inputOffset = t === 0 ? layout.startInput : layout.embeddings[t - 1] + choices[t - 1] * size;
      for (let j = 0; j < size; j++) gradient[inputOffset + j] += inputGradient[j];

      laterHiddenGradient = previousHiddenGradient;
      laterCellGradient = previousCellGradient;
    }
  }
}

function layoutFor(choiceCounts: readonly number[], hiddenSize: number): Layout {
  if (!Number.isInteger(hiddenSize) || hiddenSize < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid LSTM hidden size ${hiddenSize}: expected a positive integer.`,
    );
  }
  checkChoiceCounts(choiceCounts);
  let size = 0;
  const take = (count: number): number => {
    const offset = size;
    size += count;
    return offset;
  };
  const inputWeights = take(4 * hiddenSize * hiddenSize);
  const recurrentWeights = take(4 * hiddenSize * hiddenSize);
  const gateBias = take(4 * hiddenSize);
  const startInput = take(hiddenSize);
  const headWeights = choiceCounts.map((count) => take(count * hiddenSize));
  const headBias = choiceCounts.map((count) => take(count));
  const embeddings = choiceCounts.slice(0, -1).map((count) => take(count * hiddenSize));
  return { inputWeights, recurrentWeights, gateBias, startInput, headWeights, headBias, embeddings, size };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

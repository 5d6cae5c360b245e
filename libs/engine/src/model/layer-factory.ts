import * as tfl from '@tensorflow/tfjs-layers';

type Sym = tfl.SymbolicTensor;

/**
 * Builds functional-API layers with deterministic names and seeded initializers, so two models
 * built from the same description and seed start from identical weights.
 */
export class LayerFactory {
  private counter = 0;

  constructor(private readonly seed: number) {}

  private nextSeed(): number {
    this.counter++;
    return (this.seed * 1000003 + this.counter * 7919) % 2147483647;
  }

  private name(kind: string): string {
    return `${kind}_${this.counter + 1}`;
  }

  /** Regular convolution without bias, 'same' padding. */
  conv(x: Sym, filters: number, kernelSize: number, strides = 1): Sym {
    const name = this.name('conv');
    return tfl.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: tfl.initializers.heNormal({ seed: this.nextSeed() }),
        name,
      })
      .apply(x) as Sym;
  }

  /** Depthwise convolution (channel multiplier 1) without bias, 'same' padding. */
  depthwise(x: Sym, kernelSize: number, strides = 1): Sym {
    const name = this.name('dwconv');
    return tfl.layers
      .depthwiseConv2d({
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: tfl.initializers.heNormal({ seed: this.nextSeed() }),
        name,
      })
      .apply(x) as Sym;
  }

  /** Batch normalization over channels. */
  batchNorm(x: Sym): Sym {
    const name = this.name('bn');
    this.counter++;
    return tfl.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3, name }).apply(x) as Sym;
  }

  relu(x: Sym): Sym {
    const name = this.name('relu');
    this.counter++;
    return tfl.layers.reLU({ name }).apply(x) as Sym;
  }

  /** Convolution, batch norm and, unless `activation` is false, ReLU. */
  convBn(x: Sym, filters: number, kernelSize: number, strides = 1, activation = true): Sym {
    const y = this.batchNorm(this.conv(x, filters, kernelSize, strides));
    return activation ? this.relu(y) : y;
  }

  /** Depthwise convolution, batch norm and ReLU. */
  depthwiseBn(x: Sym, kernelSize: number, strides = 1): Sym {
    return this.relu(this.batchNorm(this.depthwise(x, kernelSize, strides)));
  }

  /** Dense layer with bias. */
  dense(x: Sym, units: number, activation?: 'relu' | 'sigmoid'): Sym {
    const name = this.name('dense');
    return tfl.layers
      .dense({
        units,
        activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: this.nextSeed() }),
        name,
      })
      .apply(x) as Sym;
  }

  /** Squeeze-and-excite: channel weights from a two-layer bottleneck over pooled features. */
  squeezeExcite(x: Sym, squeezeChannels: number): Sym {
    const channels = x.shape[3] as number;
    const pooledName = this.name('se_pool');
    this.counter++;
    const pooled = tfl.layers.globalAveragePooling2d({ name: pooledName }).apply(x) as Sym;
    const reshapeName = this.name('se_reshape');
    this.counter++;
    const column = tfl.layers
      .reshape({ targetShape: [1, 1, channels], name: reshapeName })
      .apply(pooled) as Sym;
    const squeezed = this.dense(column, squeezeChannels, 'relu');
    const weights = this.dense(squeezed, channels, 'sigmoid');
    const name = this.name('se_scale');
    this.counter++;
    return tfl.layers.multiply({ name }).apply([x, weights]) as Sym;
  }

  add(a: Sym, b: Sym): Sym {
    const name = this.name('add');
    this.counter++;
    return tfl.layers.add({ name }).apply([a, b]) as Sym;
  }

  concat(inputs: Sym[]): Sym {
    const name = this.name('concat');
    this.counter++;
    return tfl.layers.concatenate({ axis: -1, name }).apply(inputs) as Sym;
  }

  /** Average pooling with 'same' padding. */
  avgPool(x: Sym, poolSize: number, strides: number): Sym {
    const name = this.name('avgpool');
    this.counter++;
    return tfl.layers.averagePooling2d({ poolSize, strides, padding: 'same', name }).apply(x) as Sym;
  }

  /** Max pooling with 'same' padding. */
  maxPool(x: Sym, poolSize: number, strides: number): Sym {
    const name = this.name('maxpool');
    this.counter++;
    return tfl.layers.maxPooling2d({ poolSize, strides, padding: 'same', name }).apply(x) as Sym;
  }

  globalAveragePool(x: Sym): Sym {
    const name = this.name('gap');
    this.counter++;
    return tfl.layers.globalAveragePooling2d({ name }).apply(x) as Sym;
  }

  dropout(x: Sym, rate: number): Sym {
    const name = this.name('dropout');
    return tfl.layers.dropout({ rate, seed: this.nextSeed(), name }).apply(x) as Sym;
  }
}

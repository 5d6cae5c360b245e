import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { LayerFactory } from '@akd/engine';

type Sym = tfl.SymbolicTensor;

/** Architecture family of a zoo teacher; each has a different inductive bias. */
export type ZooFamily = 'resnet' | 'vgg' | 'mobilenetv2' | 'densenet' | 'inception' | 'wide-shallow';

/** A teacher architecture the service can train on any image dataset. */
export interface ZooTeacher {
  family: ZooFamily;
  /** Default teacher name, unique per dataset. */
  name: string;
  description: string;
  /** Builds the untrained network for `inputShape` [H, W, C] and `numClasses`. */
  build(inputShape: [number, number, number], numClasses: number, seed: number): tfl.LayersModel;
}

/** Stride 2 only while the feature map stays at least 4×4, so small inputs keep spatial detail. */
function stride(size: { h: number }): 1 | 2 {
  if (size.h >= 8) {
    size.h = Math.ceil(size.h / 2);
    return 2;
  }
  return 1;
}

function classifier(f: LayerFactory, x: Sym, numClasses: number): Sym {
  return f.dense(f.globalAveragePool(x), numClasses);
}

/** Residual network: basic blocks of two 3×3 convolutions with identity or projected shortcuts. */
function buildResnet(
  inputShape: [number, number, number],
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const size = { h: inputShape[0] };
  let x = f.convBn(input, 24, 3);
  for (const [filters, first] of [
    [24, false],
    [48, true],
    [96, true],
  ] as const) {
    const s = first ? stride(size) : 1;
    const y = f.convBn(f.convBn(x, filters, 3, s), filters, 3, 1, false);
    const shortcut = s !== 1 || (x.shape[3] as number) !== filters ? f.convBn(x, filters, 1, s, false) : x;
    x = f.relu(f.add(y, shortcut));
  }
  return tfl.model({ inputs: input, outputs: classifier(f, x, numClasses), name: 'resnet_teacher' });
}

/** Plain VGG-like network: stacked 3×3 convolutions and max pooling, no shortcuts. */
function buildVgg(inputShape: [number, number, number], numClasses: number, seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const size = { h: inputShape[0] };
  let x: Sym = input;
  for (const filters of [32, 64, 128]) {
    x = f.convBn(x, filters, 3);
    if (stride(size) === 2) x = f.maxPool(x, 2, 2);
  }
  const hidden = f.dense(tfl.layers.flatten().apply(f.maxPool(x, 2, 2)) as Sym, 128, 'relu');
  const logits = f.dense(hidden, numClasses);
  return tfl.model({ inputs: input, outputs: logits, name: 'vgg_teacher' });
}

/** MobileNetV2-like network: inverted bottlenecks with linear projections and residuals. */
function buildMobilenetV2(
  inputShape: [number, number, number],
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const size = { h: inputShape[0] };
  let x = f.convBn(input, 16, 3);
  const stages: [expansion: number, filters: number, repeats: number, downsample: boolean][] = [
    [1, 16, 1, false],
    [6, 24, 2, true],
    [6, 40, 2, true],
    [6, 64, 2, false],
  ];
  for (const [expansion, filters, repeats, downsample] of stages) {
    for (let i = 0; i < repeats; i++) {
      const s = i === 0 && downsample ? stride(size) : 1;
      const inChannels = x.shape[3] as number;
      let y = expansion === 1 ? x : f.convBn(x, inChannels * expansion, 1);
      y = f.depthwiseBn(y, 3, s);
      y = f.convBn(y, filters, 1, 1, false);
      x = s === 1 && inChannels === filters ? f.add(x, y) : y;
    }
  }
  x = f.convBn(x, 256, 1);
  return tfl.model({ inputs: input, outputs: classifier(f, x, numClasses), name: 'mobilenetv2_teacher' });
}

/** Growth rate of the DenseNet-like teacher: channels each dense layer adds to its block. */
const DENSENET_GROWTH = 12;

/**
 * DenseNet-BC-like network: three dense blocks of four layers, each a 1×1 bottleneck (4 × growth
 * channels) then a 3×3 convolution whose `growth` output channels are concatenated to its input.
 * Transitions halve the channels with a 1×1 convolution and downsample with 2×2 average pooling.
 */
function buildDensenet(
  inputShape: [number, number, number],
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const size = { h: inputShape[0] };
  let x = f.convBn(input, 2 * DENSENET_GROWTH, 3, stride(size));
  const blockLayers = [4, 4, 4];
  for (let block = 0; block < blockLayers.length; block++) {
    for (let i = 0; i < blockLayers[block]; i++) {
      const bottleneck = f.convBn(x, 4 * DENSENET_GROWTH, 1);
      x = f.concat([x, f.convBn(bottleneck, DENSENET_GROWTH, 3)]);
    }
    if (block < blockLayers.length - 1) {
      x = f.convBn(x, Math.floor((x.shape[3] as number) / 2), 1);
      if (stride(size) === 2) x = f.avgPool(x, 2, 2);
    }
  }
  return tfl.model({ inputs: input, outputs: classifier(f, x, numClasses), name: 'densenet_teacher' });
}

/** Output channels of the four branches of an Inception module and of the two 1×1 reductions. */
interface InceptionWidths {
  conv1: number;
  reduce3: number;
  conv3: number;
  reduceDouble3: number;
  double3: number;
  poolProjection: number;
}

/**
 * Inception module as in BN-Inception: parallel 1×1, 1×1→3×3, 1×1→3×3→3×3 (the 5×5 receptive
 * field at lower cost) and 3×3 max pool→1×1 projection branches, concatenated over channels.
 */
function inceptionModule(f: LayerFactory, x: Sym, widths: InceptionWidths): Sym {
  const branch1 = f.convBn(x, widths.conv1, 1);
  const branch3 = f.convBn(f.convBn(x, widths.reduce3, 1), widths.conv3, 3);
  const reduced = f.convBn(x, widths.reduceDouble3, 1);
  const branchDouble3 = f.convBn(f.convBn(reduced, widths.double3, 3), widths.double3, 3);
  const branchPool = f.convBn(f.maxPool(x, 3, 1), widths.poolProjection, 1);
  return f.concat([branch1, branch3, branchDouble3, branchPool]);
}

/** Multi-branch Inception-like network: a 3×3 stem, then two Inception modules per resolution. */
function buildInception(
  inputShape: [number, number, number],
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const size = { h: inputShape[0] };
  let x = f.convBn(input, 32, 3, stride(size));
  const stages: InceptionWidths[][] = [
    [
      { conv1: 16, reduce3: 24, conv3: 32, reduceDouble3: 8, double3: 16, poolProjection: 16 },
      { conv1: 24, reduce3: 32, conv3: 48, reduceDouble3: 8, double3: 16, poolProjection: 16 },
    ],
    [
      { conv1: 32, reduce3: 32, conv3: 64, reduceDouble3: 12, double3: 24, poolProjection: 24 },
      { conv1: 48, reduce3: 48, conv3: 80, reduceDouble3: 16, double3: 32, poolProjection: 32 },
    ],
  ];
  for (let stage = 0; stage < stages.length; stage++) {
    if (stage > 0 && stride(size) === 2) x = f.maxPool(x, 3, 2);
    for (const widths of stages[stage]) x = inceptionModule(f, x, widths);
  }
  return tfl.model({ inputs: input, outputs: classifier(f, x, numClasses), name: 'inception_teacher' });
}

/**
 * Wide and shallow network with large kernels: three convolutions (7×7 with 48 filters, 5×5 with
 * 96, 5×5 with 144) and max pooling, so its receptive field grows by kernel size, not depth.
 */
function buildWideShallow(
  inputShape: [number, number, number],
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const size = { h: inputShape[0] };
  let x = f.convBn(input, 48, 7);
  if (stride(size) === 2) x = f.maxPool(x, 2, 2);
  x = f.convBn(x, 96, 5, stride(size));
  x = f.convBn(x, 144, 5);
  return tfl.model({ inputs: input, outputs: classifier(f, x, numClasses), name: 'wide_shallow_teacher' });
}

/** Teachers the service trains itself. */
export const ZOO: readonly ZooTeacher[] = [
  {
    family: 'resnet',
    name: 'resnet',
    description: 'Residual network: three stages of basic blocks (24, 48, 96 filters) with shortcuts.',
    build: buildResnet,
  },
  {
    family: 'vgg',
    name: 'vgg',
    description: 'Plain VGG-like network: 3×3 convolutions with max pooling and a dense hidden layer.',
    build: buildVgg,
  },
  {
    family: 'mobilenetv2',
    name: 'mobilenetv2',
    description: 'MobileNetV2-like network: inverted bottlenecks with expansion 6 and linear projections.',
    build: buildMobilenetV2,
  },
  {
    family: 'densenet',
    name: 'densenet',
    description:
      'DenseNet-BC-like network: three dense blocks of four bottleneck layers (growth rate 12) with 1×1 + average-pool transitions.',
    build: buildDensenet,
  },
  {
    family: 'inception',
    name: 'inception',
    description:
      'Inception-like network: four modules of parallel 1×1, 3×3, double 3×3 and pool-projection branches, concatenated.',
    build: buildInception,
  },
  {
    family: 'wide-shallow',
    name: 'wide-shallow',
    description:
      'Wide, shallow network with large kernels: 7×7 (48 filters), 5×5 (96) and 5×5 (144) convolutions.',
    build: buildWideShallow,
  },
];

/** Returns the zoo teacher named `name`, or throws an error listing the known names. */
export function zooTeacher(name: string): ZooTeacher {
  const found = ZOO.find((t) => t.name === name || t.family === name);
  if (!found) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown zoo teacher "${name}". Known teachers: ${ZOO.map((t) => t.name).join(', ')}.`,
      { name },
    );
  }
  return found;
}

import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { LayerFactory } from '@akd/engine';

type Sym = tfl.SymbolicTensor;

/** Architecture family of a zoo teacher; each has a different inductive bias. */
export type ZooFamily = 'resnet' | 'vgg' | 'mobilenetv2';

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

// ECharts options of the experiment page, built from API data by pure functions.
import type { ChartOption } from '../../components/chart.js';

/** Reward statistics of one generation. */
export interface GenerationPoint {
  index: number;
  rewardMax?: number | null;
  rewardMean?: number | null;
  accuracyMean?: number | null;
}

/** A scored candidate as a point of the accuracy–latency scatter. */
export interface CandidatePoint {
  id: string;
  generation: number;
  proxyAccuracy?: number | null;
  latencyMs?: number | null;
}

const OPS = ['conv', 'dconv', 'mbconv3', 'mbconv6'] as const;

/** Formats an axis value with three significant digits, so rounding noise such as 1e-17 shows as 0. */
function shortNumber(value: number): string {
  return Math.abs(value) < 1e-9 ? '0' : String(Number(value.toPrecision(3)));
}
const OP_COLORS = ['#6b8fd6', '#5bb48a', '#e0a340', '#cc5f5f'];

/** Best and mean reward (and mean proxy accuracy) per generation. */
export function rewardOption(generations: readonly GenerationPoint[]): ChartOption {
  const sorted = [...generations].sort((a, b) => a.index - b.index);
  const values = (pick: (g: GenerationPoint) => number | null | undefined) =>
    sorted.map((g) => [g.index, pick(g) ?? null]);
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '–'),
    },
    legend: { top: 0 },
    grid: { left: 56, right: 20, top: 36, bottom: 44 },
    xAxis: { type: 'value', name: 'Generation', nameLocation: 'middle', nameGap: 28, minInterval: 1 },
    yAxis: { type: 'value', name: 'Reward', scale: true },
    series: [
      {
        name: 'Best reward',
        type: 'line',
        data: values((g) => g.rewardMax),
        symbolSize: 6,
        connectNulls: true,
      },
      {
        name: 'Mean reward',
        type: 'line',
        data: values((g) => g.rewardMean),
        symbolSize: 5,
        connectNulls: true,
      },
      {
        name: 'Mean proxy accuracy',
        type: 'line',
        data: values((g) => g.accuracyMean),
        symbolSize: 4,
        lineStyle: { type: 'dashed' },
        connectNulls: true,
      },
    ],
  };
}

/**
 * Proxy accuracy against latency: every loaded candidate, the Pareto front as a line, and the
 * latency target as a vertical line.
 */
export function paretoOption(
  points: readonly CandidatePoint[],
  front: readonly CandidatePoint[],
  targetMs: number,
): ChartOption {
  const scored = (list: readonly CandidatePoint[]) =>
    list
      .filter((p) => typeof p.latencyMs === 'number' && typeof p.proxyAccuracy === 'number')
      .map((p) => ({ value: [p.latencyMs!, p.proxyAccuracy!], id: p.id, generation: p.generation }));
  const frontData = scored(front).sort((a, b) => a.value[0] - b.value[0]);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (item: { data: { value: [number, number]; generation: number } }) =>
        `latency ${item.data.value[0].toPrecision(3)} ms<br/>accuracy ${(item.data.value[1] * 100).toFixed(1)}%<br/>generation ${item.data.generation}`,
    },
    legend: { top: 0 },
    grid: { left: 56, right: 24, top: 36, bottom: 44 },
    xAxis: { type: 'value', name: 'Latency (ms)', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: {
      type: 'value',
      name: 'Proxy accuracy',
      scale: true,
      axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` },
    },
    series: [
      {
        name: 'Candidates',
        type: 'scatter',
        data: scored(points),
        symbolSize: 7,
        itemStyle: { color: '#7189ad', opacity: 0.75 },
        large: points.length > 2000,
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#b3261e', type: 'dashed' },
          label: { formatter: `target ${targetMs} ms`, position: 'end' },
          data: [{ xAxis: targetMs }],
        },
      },
      {
        name: 'Pareto front',
        type: 'line',
        step: 'end',
        data: frontData,
        symbolSize: 8,
        itemStyle: { color: '#1f5fbf' },
      },
    ],
  };
}

/** Shares of the conv ops in one generation, as experiment.structure.distributions returns them. */
export interface OpDistribution {
  generation: number;
  ops: readonly { value: string; share: number }[];
}

/** Stacked bars of the share of each conv op among the blocks of each generation. */
export function opDistributionOption(distributions: readonly OpDistribution[]): ChartOption {
  const sorted = [...distributions].sort((a, b) => a.generation - b.generation);
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(0)}%` : '–'),
    },
    legend: { top: 0 },
    grid: { left: 56, right: 20, top: 36, bottom: 44 },
    xAxis: {
      type: 'category',
      name: 'Generation',
      nameLocation: 'middle',
      nameGap: 28,
      data: sorted.map((d) => String(d.generation)),
    },
    yAxis: {
      type: 'value',
      max: 1,
      axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` },
    },
    series: OPS.map((op, index) => ({
      name: op,
      type: 'bar',
      stack: 'ops',
      data: sorted.map((d) => d.ops.find((share) => share.value === op)?.share ?? 0),
      itemStyle: { color: OP_COLORS[index] },
    })),
  };
}

/** A candidate's architecture encoding projected on the first two principal components. */
export interface PcaPoint {
  candidateId: string;
  generation: number;
  x: number;
  y: number;
  accuracy?: number | null;
}

/** PCA scatter of the architecture encodings, coloured by generation. */
export function pcaOption(
  points: readonly PcaPoint[],
  axes: readonly { explainedVarianceRatio: number }[],
): ChartOption {
  const maxGeneration = points.reduce((max, p) => Math.max(max, p.generation), 0);
  const axisName = (index: number) =>
    axes[index]
      ? `PC${index + 1} (${(axes[index].explainedVarianceRatio * 100).toFixed(0)}% of variance)`
      : `PC${index + 1}`;
  return {
    tooltip: {
      trigger: 'item',
      formatter: (item: { data: [number, number, number, number | null] }) =>
        `generation ${item.data[2]}<br/>accuracy ${item.data[3] === null ? '–' : `${(item.data[3] * 100).toFixed(1)}%`}`,
    },
    grid: { left: 56, right: 90, top: 20, bottom: 44 },
    xAxis: {
      type: 'value',
      name: axisName(0),
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      axisLabel: { formatter: shortNumber },
    },
    yAxis: { type: 'value', name: axisName(1), scale: true, axisLabel: { formatter: shortNumber } },
    visualMap: {
      type: 'continuous',
      dimension: 2,
      min: 0,
      max: Math.max(1, maxGeneration),
      right: 0,
      top: 'middle',
      text: ['late', 'early'],
      calculable: false,
      inRange: { color: ['#d6e4f7', '#1f5fbf', '#14243d'] },
    },
    series: [
      {
        type: 'scatter',
        symbolSize: 6,
        large: points.length > 2000,
        data: points.map((p) => [p.x, p.y, p.generation, p.accuracy ?? null]),
      },
    ],
  };
}

/** Latency against FLOPs of the candidates with the fitted line. */
export function latencyFlopsOption(
  points: readonly { flops: string; latencyMs: number }[],
  fit: { slopeMsPerFlop: number; interceptMs: number } | null | undefined,
): ChartOption {
  const data = points.map((p) => [Number(p.flops), p.latencyMs]);
  const xs = data.map((d) => d[0]);
  const line =
    fit && xs.length > 0
      ? [Math.min(...xs), Math.max(...xs)].map((x) => [x, fit.interceptMs + fit.slopeMsPerFlop * x])
      : [];
  return {
    tooltip: { trigger: 'item' },
    legend: { top: 0 },
    grid: { left: 56, right: 20, top: 36, bottom: 44 },
    xAxis: { type: 'value', name: 'FLOPs', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'Latency (ms)', scale: true },
    series: [
      {
        name: 'Candidates',
        type: 'scatter',
        symbolSize: 5,
        data,
        large: data.length > 2000,
        itemStyle: { color: '#8da2c0' },
      },
      { name: 'Linear fit', type: 'line', data: line, symbol: 'none', lineStyle: { color: '#b3261e' } },
    ],
  };
}

/** Proxy accuracy against the test accuracy of the final models trained from the same candidates. */
export function fidelityOption(
  pairs: readonly { proxyAccuracy: number; testAccuracy: number }[],
): ChartOption {
  return {
    tooltip: { trigger: 'item' },
    grid: { left: 56, right: 20, top: 20, bottom: 44 },
    xAxis: { type: 'value', name: 'Proxy accuracy', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'Test accuracy', scale: true },
    series: [{ type: 'scatter', symbolSize: 8, data: pairs.map((p) => [p.proxyAccuracy, p.testAccuracy]) }],
  };
}

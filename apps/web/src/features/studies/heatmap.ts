// ECharts heatmaps of the study pages: teacher similarity and ranking matrices.
import type { ChartOption } from '../../components/chart.js';

/** Options of {@link heatmapOption}. */
export interface HeatmapSettings {
  /** Formats a cell's value for its label and tooltip. */
  format: (value: number) => string;
  /** Colours from low to high values. */
  colors?: string[];
  /** Text written in a cell instead of its formatted value, for example a rank. */
  cellLabel?: (row: number, column: number, value: number) => string;
}

/** Builds a heatmap with `rows` down and `columns` across from `values[row][column]`, null for an empty cell. */
export function heatmapOption(
  rows: readonly string[],
  columns: readonly string[],
  values: readonly (readonly (number | null)[])[],
  settings: HeatmapSettings,
): ChartOption {
  const data: [number, number, number][] = [];
  values.forEach((row, r) =>
    row.forEach((value, c) => {
      if (value !== null && Number.isFinite(value)) data.push([c, r, value]);
    }),
  );
  const numbers = data.map((d) => d[2]);
  const min = numbers.length > 0 ? Math.min(...numbers) : 0;
  const max = numbers.length > 0 ? Math.max(...numbers) : 1;
  return {
    tooltip: {
      formatter: (item: { data: [number, number, number] }) =>
        `${rows[item.data[1]]} → ${columns[item.data[0]]}: ${settings.format(item.data[2])}`,
    },
    grid: { left: 110, right: 20, top: 10, bottom: 90 },
    xAxis: {
      type: 'category',
      data: [...columns],
      axisLabel: { rotate: 30, interval: 0 },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: [...rows],
      inverse: true,
      axisLabel: { interval: 0 },
      splitArea: { show: true },
    },
    visualMap: {
      min,
      max: max === min ? min + 1 : max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: settings.colors ?? ['#f4f7fb', '#7ea4dc', '#1f4f99'] },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: true,
          formatter: (item: { data: [number, number, number] }) =>
            settings.cellLabel
              ? settings.cellLabel(item.data[1], item.data[0], item.data[2])
              : settings.format(item.data[2]),
        },
      },
    ],
  };
}

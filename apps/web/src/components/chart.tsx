'use client';
// The one chart component of the dashboard, on Apache ECharts (canvas renderer, animations off so
// that large scatters draw at once). Only the chart types and components in use are registered.
import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/** Options of an ECharts chart. */
export type ChartOption = echarts.EChartsCoreOption;

export interface ChartProps {
  /** Identifies the chart in tests and benchmarks (`data-chart`). */
  name: string;
  /** What the chart shows, read by screen readers in place of the canvas. */
  label: string;
  option: ChartOption;
  height?: number;
  /** Called after each complete draw. */
  onRendered?: (name: string) => void;
}

/**
 * Draws `option` into a resizable canvas. After every complete draw the element gets
 * `data-rendered="true"` and `onRendered` runs, which pages use to mark themselves ready.
 */
export function Chart({ name, label, option, height = 320, onRendered }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const rendered = useRef(onRendered);
  rendered.current = onRendered;

  useEffect(() => {
    const node = element.current!;
    const instance = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('finished', () => {
      node.dataset.rendered = 'true';
      rendered.current?.(name);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [name]);

  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true }, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div ref={element} className="chart" role="img" aria-label={label} data-chart={name} style={{ height }} />
  );
}

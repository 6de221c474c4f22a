// The ECharts the app serves: its core API (what charming's bindings, the
// tests and embedders call on the global `echarts`) with only the charts,
// components and features the app's options use (src/overview/charts.rs).
// The full build is twice the size, and reading it was the longest task of
// a first visit. scripts/setup.sh bundles this with esbuild
// (tools/echarts-bundle.mjs) into public/vendor/echarts.min.js.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  LabelLayout,
  CanvasRenderer,
]);

window.echarts = echarts;

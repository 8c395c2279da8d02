/**
 * Training curves drawn with uPlot (fast for long, growing series): drag to zoom, double-click to
 * reset, the legend shows the values under the cursor. Series with different steps are aligned on
 * the union of their steps (gaps where a series has no point).
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

/** One curve: its name and (step, value) points in increasing step order. */
export interface Curve {
  readonly label: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly color?: string;
  /** Draw points as dots only (validation passes). */
  readonly dots?: boolean;
}

/** Colours of overlaid runs (tableau10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The curves on the union of their steps: uPlot's [steps, ys...] with null where a curve has no point. */
export function align(curves: readonly Curve[]): uPlot.AlignedData {
  const steps = [...new Set(curves.flatMap((c) => c.points.map((p) => p[0])))].sort((a, b) => a - b);
  const at = new Map(steps.map((s, i) => [s, i]));
  const ys = curves.map((c) => {
    const y: (number | null)[] = new Array(steps.length).fill(null);
    for (const [s, v] of c.points) y[at.get(s)!] = Number.isFinite(v) ? v : null;
    return y;
  });
  return [steps, ...ys] as uPlot.AlignedData;
}

/** A chart that can be redrawn with new curves (same labels), e.g. as a run appends points. */
export class CurveChart {
  private plot: uPlot | null = null;
  private labels = '';
  /** The chart's element (`data-points` holds the number of points drawn, for tests). */
  readonly el: HTMLElement;

  /** `log`: a logarithmic y axis (values ≤ 0 are left out). */
  constructor(
    readonly title: string,
    readonly yLabel: string,
    private readonly width = 560,
    private readonly height = 260,
    private readonly log = false,
  ) {
    this.el = h('div', { class: 'chart', 'data-title': title, 'data-points': 0 });
  }

  /** Draws `curves` (recreating the plot only when the set of curves changed). */
  set(curves: readonly Curve[]): void {
    const data = align(this.log ? curves.map((c) => ({ ...c, points: c.points.filter((p) => p[1] > 0) })) : curves);
    const labels = curves.map((c) => c.label).join('\n');
    if (this.plot && labels === this.labels) {
      // keep a zoomed-in view; follow the data when not zoomed (judged before the new points arrive:
      // one event can bring several)
      const zoomed = this.zoomed();
      this.plot.setData(data, false);
      const xs = data[0];
      if (xs.length && !zoomed) this.plot.setScale('x', { min: xs[0], max: xs[xs.length - 1] });
    } else {
      this.plot?.destroy();
      this.labels = labels;
      this.plot = new uPlot(
        {
          title: this.title,
          width: this.width,
          height: this.height,
          scales: { x: { time: false }, ...(this.log ? { y: { distr: 3 } } : {}) },
          axes: [{ label: 'step' }, { label: this.yLabel, size: 70 }],
          cursor: { drag: { x: true, y: true, uni: 20 } },
          // many curves (one per latent): no legend rows, the cursor's values would not fit
          legend: { show: curves.length <= 10 },
          series: [
            { label: 'step' },
            ...curves.map((c, i) => ({
              label: c.label,
              stroke: c.color ?? PALETTE[i % PALETTE.length],
              width: c.dots ? 0 : 1.5,
              spanGaps: true,
              points: { show: c.dots === true, size: 6, fill: c.color ?? PALETTE[i % PALETTE.length] },
              value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toFixed(3)),
            })),
          ],
        },
        data,
        this.el,
      );
    }
    this.el.setAttribute('data-points', String(curves.reduce((n, c) => n + c.points.length, 0)));
  }

  /** Whether the x scale shows less than the data drawn now (the user dragged to zoom in). */
  private zoomed(): boolean {
    const p = this.plot;
    if (!p) return false;
    const xs = p.data[0];
    const s = p.scales.x;
    return (
      xs.length > 1 &&
      ((s.max !== undefined && s.max !== null && s.max < xs[xs.length - 1]) || (s.min !== undefined && s.min !== null && s.min > xs[0]))
    );
  }
}

/** Canvas drawing of the Lab's views (loss curves, point clouds, manifold, image grids, variance-law bars). */
import type { LabStep } from '../session.js';
import type { VarianceLawRow } from '../views.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

function context(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d')!;
  ctx.clearRect(0, 0, c.width, c.height);
  return ctx;
}

/** A box [x0, x1] × [y0, y1] around the points (and `extra`), a little padded. */
function bounds(...sets: Float32Array[]): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const s of sets) {
    for (let i = 0; i + 1 < s.length; i += 2) {
      if (!Number.isFinite(s[i]) || !Number.isFinite(s[i + 1])) continue;
      x0 = Math.min(x0, s[i]);
      x1 = Math.max(x1, s[i]);
      y0 = Math.min(y0, s[i + 1]);
      y1 = Math.max(y1, s[i + 1]);
    }
  }
  if (!Number.isFinite(x0)) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  const span = Math.max(x1 - x0, y1 - y0, 1e-3) * 0.55;
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  return { x0: cx - span, x1: cx + span, y0: cy - span, y1: cy + span };
}

/** −ELBO, reconstruction and KL per step (last 2000 steps), each on the same axis. */
export function drawLoss(c: HTMLCanvasElement, steps: readonly LabStep[]): void {
  const ctx = context(c);
  const shown = steps.slice(-2000);
  if (shown.length < 2) return;
  const series: Array<[string, string, (s: LabStep) => number]> = [
    ['−ELBO', '#333', (s) => -s.elbo],
    ['−E log p(x|z)', '#4e79a7', (s) => -s.reconstruction],
    ['KL', '#e15759', (s) => s.kl],
  ];
  // The range of the later 80% of the steps shown, so the first steps' spike does not flatten the curves.
  const values = shown
    .slice(Math.floor(shown.length / 5))
    .flatMap((s) => series.map(([, , f]) => f(s)))
    .filter(Number.isFinite);
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values) * 1.1 || 1;
  const W = c.width - 40,
    H = c.height - 20;
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(35, 5, W, H);
  ctx.fillStyle = '#555';
  ctx.font = '11px sans-serif';
  ctx.fillText(hi.toFixed(1), 2, 14);
  ctx.fillText(lo.toFixed(1), 2, H + 5);
  series.forEach(([, color, f]) => {
    ctx.strokeStyle = color;
    ctx.beginPath();
    shown.forEach((s, i) => {
      const x = 35 + (W * i) / (shown.length - 1);
      const y = 5 + H * (1 - (Math.min(hi, Math.max(lo, f(s))) - lo) / (hi - lo));
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  });
  // The legend on a white box, over the curves.
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(c.width - 125, 7, 118, 13 * series.length + 4);
  series.forEach(([name, color], k) => {
    ctx.fillStyle = color;
    ctx.fillText(name, c.width - 120, 18 + 13 * k);
  });
  ctx.fillStyle = '#555';
  ctx.fillText(`steps ${shown[0].step}–${shown.at(-1)!.step}`, 40, c.height - 3);
}

/** Points [n, 2] coloured by label (grey without), optionally over faint background points `behind`. */
export function drawPoints(
  c: HTMLCanvasElement,
  pts: Float32Array,
  labels: ArrayLike<number> | null,
  size: number,
  behind?: Float32Array,
): void {
  const ctx = context(c);
  const b = behind && behind.length > 0 ? bounds(behind, pts) : bounds(pts);
  const px = (v: number): number => (c.width * (v - b.x0)) / (b.x1 - b.x0);
  const py = (v: number): number => c.height * (1 - (v - b.y0) / (b.y1 - b.y0));
  if (behind) {
    ctx.fillStyle = 'rgba(0,0,0,0.08)';
    for (let i = 0; i + 1 < behind.length; i += 2) ctx.fillRect(px(behind[i]) - 1, py(behind[i + 1]) - 1, 2, 2);
  }
  for (let i = 0; i + 1 < pts.length; i += 2) {
    ctx.fillStyle = labels ? PALETTE[labels[i / 2] % PALETTE.length] : '#e15759';
    ctx.fillRect(px(pts[i]) - size / 2, py(pts[i + 1]) - size / 2, size, size);
  }
}

/** For 2-D data: the images of the latent grid's rows and columns, drawn as lines over the data. */
export function drawManifoldLines(c: HTMLCanvasElement, grid: Float32Array, g: number, data: Float32Array): void {
  drawPoints(c, new Float32Array(0), null, 0, data);
  const ctx = c.getContext('2d')!;
  const b = bounds(data, grid);
  const px = (v: number): number => (c.width * (v - b.x0)) / (b.x1 - b.x0);
  const py = (v: number): number => c.height * (1 - (v - b.y0) / (b.y1 - b.y0));
  ctx.strokeStyle = 'rgba(78,121,167,0.8)';
  for (let dir = 0; dir < 2; dir++) {
    for (let a = 0; a < g; a++) {
      ctx.beginPath();
      for (let t = 0; t < g; t++) {
        const k = 2 * (dir === 0 ? a * g + t : t * g + a);
        if (t === 0) ctx.moveTo(px(grid[k]), py(grid[k + 1]));
        else ctx.lineTo(px(grid[k]), py(grid[k + 1]));
      }
      ctx.stroke();
    }
  }
}

/** Grey images [m, side²] (values clipped to [0, 1]) in a grid `cols` wide. */
export function drawImages(c: HTMLCanvasElement, images: Float32Array, cols: number, side: number): void {
  const ctx = context(c);
  const m = images.length / (side * side);
  const rows = Math.ceil(m / cols);
  const img = ctx.createImageData(cols * side, rows * side);
  for (let k = 0; k < m; k++) {
    const r0 = Math.floor(k / cols) * side,
      c0 = (k % cols) * side;
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        const v = Math.round(255 * Math.min(1, Math.max(0, images[k * side * side + i * side + j])));
        const o = 4 * ((r0 + i) * cols * side + c0 + j);
        img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
        img.data[o + 3] = 255;
      }
    }
  }
  // Draw at native size on a scratch canvas, then scale up without smoothing.
  const scratch = document.createElement('canvas');
  scratch.width = img.width;
  scratch.height = img.height;
  scratch.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, c.width, (c.width * img.height) / img.width);
}

/** Per latent: Var μ (blue) stacked with E σ² (orange); the line at 1 is the variance law; inactive latents greyed. */
export function drawVarianceLaw(c: HTMLCanvasElement, rows: readonly VarianceLawRow[]): void {
  const ctx = context(c);
  const H = c.height - 30;
  const top = Math.max(1.5, ...rows.map((r) => r.varMu + r.meanSigma2));
  const w = Math.min(40, (c.width - 20) / rows.length);
  const y = (v: number): number => 10 + H * (1 - v / top);
  ctx.font = '11px sans-serif';
  rows.forEach((r, i) => {
    const x = 10 + i * w;
    ctx.globalAlpha = r.active ? 1 : 0.35;
    ctx.fillStyle = '#4e79a7';
    ctx.fillRect(x + 2, y(r.varMu), w - 4, y(0) - y(r.varMu));
    ctx.fillStyle = '#f28e2b';
    ctx.fillRect(x + 2, y(r.varMu + r.meanSigma2), w - 4, y(r.varMu) - y(r.varMu + r.meanSigma2));
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#333';
    ctx.fillText(`z${i + 1}`, x + 2, c.height - 15);
    ctx.fillText(r.active ? 'on' : 'off', x + 2, c.height - 3);
  });
  ctx.strokeStyle = '#333';
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(5, y(1));
  ctx.lineTo(c.width - 5, y(1));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = '#333';
  ctx.fillText('Var μ + E σ² = 1', c.width - 110, y(1) - 4);
}

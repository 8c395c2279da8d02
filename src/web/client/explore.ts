/**
 * The latent explorer of a trained run (seed 004): drag a point in the latent plane (d = 2, or the
 * two most active latents with the others held at the base point) and see it decoded server-side as
 * μ_x(z), x ~ p(x|z) or μ_x(z) + α σ_x(z); encode a test image and see q(z|x) as its mean and a
 * 2σ ellipse in the plane. The encoded test set is drawn under the plane, coloured by label.
 */
import embed from 'vega-embed';
import { getJson, runUrl, type EncodedExample, type ExplorerInfo } from './api.js';
import { PALETTE } from './curves.js';
import { fmt, h, present } from './dom.js';

const SIZE = 420;

/** Draws the explorer of run `name` into `root`. */
export async function showExplore(root: HTMLElement, name: string): Promise<() => void> {
  root.replaceChildren(h('h1', {}, `Explore ${name}`), h('p', { class: 'muted' }, 'loading the model and encoding 1,000 test images…'));
  const info = await getJson<ExplorerInfo & { varianceLawSpec: object | null }>(runUrl(name, '/explore'));
  const [a, b] = info.plane;
  const base = new Array<number>(info.d).fill(0);
  const point = [0, 0];
  let example: EncodedExample | null = null;
  let seed = 1;

  // Plane coordinates: the test means' extent, at least [−3, 3].
  const xs = info.points.map((p) => p.x);
  const ys = info.points.map((p) => p.y);
  const lim = Math.max(3, ...xs.map(Math.abs), ...ys.map(Math.abs)) * 1.05;
  const toPx = (v: number, flip: boolean) => (((flip ? -v : v) / lim + 1) * SIZE) / 2;
  const fromPx = (px: number, flip: boolean) => (flip ? -1 : 1) * (px / (SIZE / 2) - 1) * lim;

  const canvas = h('canvas', { id: 'plane', width: SIZE, height: SIZE });
  const ctx = canvas.getContext('2d')!;
  const decoded = h('img', { id: 'decoded', alt: 'decoded image', width: 168, height: 168 });
  const zText = h('div', { id: 'z-text', class: 'mono' });
  const mode = h(
    'select',
    { id: 'mode' },
    h('option', { value: 'mean' }, 'μ_x(z) (deterministic)'),
    h('option', { value: 'ancestral' }, 'x ~ p(x|z) (ancestral)'),
    info.gaussian ? h('option', { value: 'alpha' }, 'μ_x(z) + α σ_x(z)') : null,
  );
  const alpha = h('input', { id: 'alpha', type: 'range', min: -2, max: 2, step: 0.1, value: 0.5, disabled: true });
  const alphaText = h('span', { class: 'mono' }, 'α = 0.5');
  const resample = h('button', { id: 'resample' }, 'new draw');
  const index = h('input', { id: 'example-index', type: 'number', min: 0, max: info.examples - 1, value: 0, style: 'width:6em' });
  const encodeButton = h('button', { id: 'encode' }, 'encode');
  const exampleImg = h('img', { id: 'example', alt: 'test image', width: 168, height: 168, hidden: true });
  const posterior = h('div', { id: 'posterior' });

  const drawPlane = () => {
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, SIZE, SIZE);
    ctx.strokeStyle = '#ddd';
    ctx.beginPath();
    ctx.moveTo(toPx(0, false), 0);
    ctx.lineTo(toPx(0, false), SIZE);
    ctx.moveTo(0, toPx(0, true));
    ctx.lineTo(SIZE, toPx(0, true));
    ctx.stroke();
    for (const p of info.points) {
      ctx.fillStyle = p.label >= 0 ? PALETTE[p.label % PALETTE.length] : '#888';
      ctx.globalAlpha = 0.55;
      ctx.fillRect(toPx(p.x, false) - 1.5, toPx(p.y, true) - 1.5, 3, 3);
    }
    ctx.globalAlpha = 1;
    if (example) {
      // q(z|x) on the plane: its mean and the 2σ ellipse of the two plane latents
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.ellipse(
        toPx(example.mu[a], false),
        toPx(example.mu[b], true),
        (((2 * example.sigma[a]) / lim) * SIZE) / 2,
        (((2 * example.sigma[b]) / lim) * SIZE) / 2,
        0,
        0,
        2 * Math.PI,
      );
      ctx.stroke();
      // its mean, a cross that stays when the point is dragged away
      const [mx, my] = [toPx(example.mu[a], false), toPx(example.mu[b], true)];
      ctx.beginPath();
      ctx.moveTo(mx - 6, my);
      ctx.lineTo(mx + 6, my);
      ctx.moveTo(mx, my - 6);
      ctx.lineTo(mx, my + 6);
      ctx.stroke();
    }
    ctx.fillStyle = '#d62728';
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(toPx(point[0], false), toPx(point[1], true), 7, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  };

  // One decode request at a time; a move during a request is decoded when it returns (latest wins).
  let inFlight = false;
  let pending = false;
  let lastUrl = '';
  const decode = async () => {
    if (inFlight) {
      pending = true;
      return;
    }
    inFlight = true;
    decoded.setAttribute('data-busy', ''); // until the latest point is decoded (tests wait for its absence)
    const z = base.slice();
    z[a] = point[0];
    if (b !== a) z[b] = point[1];
    zText.textContent = `z${a} = ${fmt(point[0])}, z${b} = ${fmt(point[1])}${info.d > 2 ? ` (other ${info.d - 2} latents at ${example ? `μ of test image ${example.index}` : '0'})` : ''}`;
    try {
      const q = `?z=${z.map((v) => v.toFixed(4)).join(',')}&mode=${mode.value}&alpha=${alpha.value}&seed=${seed}`;
      const r = await fetch(runUrl(name, `/decode${q}`));
      if (!r.ok) throw new Error(((await r.json()) as { error: string }).error);
      const url = URL.createObjectURL(await r.blob());
      await new Promise<void>((resolve) => {
        decoded.onload = () => resolve();
        decoded.onerror = () => resolve();
        decoded.src = url;
      });
      if (lastUrl) URL.revokeObjectURL(lastUrl);
      lastUrl = url;
      decoded.setAttribute('data-z', z.map((v) => v.toFixed(4)).join(','));
    } catch (e) {
      zText.textContent = String(e);
    } finally {
      inFlight = false;
      if (pending) {
        pending = false;
        void decode();
      }
      decoded.toggleAttribute('data-busy', inFlight);
    }
  };
  const moveTo = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    point[0] = fromPx(e.clientX - r.left, false);
    point[1] = fromPx(e.clientY - r.top, true);
    drawPlane();
    void decode();
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    moveTo(e);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (canvas.hasPointerCapture(e.pointerId)) moveTo(e);
  });
  mode.addEventListener('change', () => {
    alpha.disabled = mode.value !== 'alpha';
    void decode();
  });
  alpha.addEventListener('input', () => {
    alphaText.textContent = `α = ${alpha.value}`;
    void decode();
  });
  resample.addEventListener('click', () => {
    seed++;
    void decode();
  });
  encodeButton.addEventListener('click', async () => {
    const i = Number(index.value);
    example = await getJson<EncodedExample>(runUrl(name, `/examples/${i}`));
    exampleImg.src = runUrl(name, `/examples/${i}.png`);
    exampleImg.hidden = false;
    for (let j = 0; j < info.d; j++) base[j] = example.mu[j];
    point[0] = example.mu[a];
    point[1] = example.mu[b];
    const order = info.law ? [...info.law].sort((p, q) => q.varMu - p.varMu).map((r) => r.latent) : example.mu.map((_, j) => j);
    posterior.replaceChildren(
      h(
        'p',
        {},
        `test image ${i}${example.label !== null ? `, label ${example.label}` : ''}: q(z|x) = N(μ, σ²), most active latents first`,
      ),
      h(
        'table',
        { class: 'kv mono' },
        h('thead', {}, h('tr', {}, h('th', {}, 'latent'), h('th', {}, 'μ'), h('th', {}, 'σ'))),
        h(
          'tbody',
          {},
          ...order
            .slice(0, 8)
            .map((j) =>
              h(
                'tr',
                {},
                h('td', {}, `z${j}`),
                h('td', { class: 'num' }, fmt(example!.mu[j], 3)),
                h('td', { class: 'num' }, fmt(example!.sigma[j], 3)),
              ),
            ),
        ),
      ),
    );
    drawPlane();
    void decode();
  });

  const law = h('div', { id: 'variance-law' });
  const labels = [...new Set(info.points.map((p) => p.label))].filter((l) => l >= 0).sort((p, q) => p - q);
  const legend = h(
    'div',
    { class: 'legend' },
    'labels: ',
    ...labels.map((l) => h('span', { style: `color:${PALETTE[l % PALETTE.length]}` }, `■ ${l} `)),
  );
  root.replaceChildren(
    ...present(
      h('h1', {}, `Explore `, h('a', { href: `#/run/${encodeURIComponent(name)}` }, name)),
      h(
        'p',
        { class: 'muted' },
        `d = ${info.d}; the plane shows z${a} (→) and z${b} (↑)${info.d > 2 ? ', the two latents with the largest Var_x[μ(x)]' : ''}; dots are the posterior means of ${info.examples} test images coloured by label. Drag the red point.`,
      ),
      h(
        'div',
        { class: 'explorer' },
        h('div', {}, canvas, legend),
        h(
          'div',
          {},
          h('div', { class: 'controls' }, mode, ' ', info.gaussian ? h('span', {}, alpha, ' ', alphaText) : null, ' ', resample),
          decoded,
          zText,
        ),
        h('div', {}, h('div', { class: 'controls' }, 'test image ', index, ' ', encodeButton), exampleImg, posterior),
      ),
      info.varianceLawSpec ? h('h2', {}, 'Variance law of the encoded test images (seed 000)') : null,
      law,
    ),
  );
  drawPlane();
  await decode();
  if (info.varianceLawSpec) await embed(law, info.varianceLawSpec as Parameters<typeof embed>[1], { actions: false });
  return () => {
    if (lastUrl) URL.revokeObjectURL(lastUrl);
  };
}

/**
 * The dashboard page: views chosen by the URL hash — `#/` the runs list, `#/run/NAME` one run,
 * `#/compare/A,B,...` a comparison, `#/explore/NAME` the latent explorer of a trained run, `#/sweeps`
 * the sweeps, `#/sweep/NAME` one sweep (its runs open as `#/run/SWEEP%2Fruns%2FRUN`).
 */
import './style.css';
import { showCompare } from './compare.js';
import { h } from './dom.js';
import { showExplore } from './explore.js';
import { showList } from './list.js';
import { showRun } from './run.js';
import { showSweep, showSweeps } from './sweeps.js';

const app = document.getElementById('app')!;
let leave: (() => void) | void = undefined;

async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  const [view, arg = ''] = location.hash.replace(/^#\/?/, '').split('/');
  const names = arg.split(',').filter(Boolean).map(decodeURIComponent);
  document.body.dataset.view = view || 'list';
  try {
    if (view === 'run') leave = await showRun(app, names[0]);
    else if (view === 'compare') await showCompare(app, names);
    else if (view === 'explore') leave = await showExplore(app, names[0]);
    else if (view === 'sweeps') await showSweeps(app);
    else if (view === 'sweep') await showSweep(app, names[0]);
    else await showList(app);
    document.body.dataset.ready = location.hash;
  } catch (e) {
    app.replaceChildren(h('p', { class: 'problems', id: 'error' }, e instanceof Error ? e.message : String(e)));
    document.body.dataset.ready = location.hash;
  }
}

window.addEventListener('hashchange', () => void route());
void route();

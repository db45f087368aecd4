/** Entry point: builds the panels, wires the store, the map, the workers and persistence. */
import './styles.css';
import { errorText, loadScenario, setMessage } from './app/actions.ts';
import { draftToJson } from './app/draft.ts';
import { derive } from './app/derived.ts';
import { readFragment, restoredResult, restoreState, saveState } from './app/persist.ts';
import { initialState, type AppState } from './app/state.ts';
import { Store } from './app/store.ts';
import { attachMapInteraction } from './map/interact.ts';
import { renderMap } from './map/render.ts';
import { SolveController } from './solver/controller.ts';
import { SupersededError, ToolClient } from './tools/client.ts';
import { comparePanel } from './ui/compare.ts';
import { diagnosisView } from './ui/diagnosis.ts';
import { h } from './ui/dom.ts';
import { watchFieldErrors } from './ui/fields.ts';
import { ioPanel } from './ui/io-panel.ts';
import { attachReadouts, legendScales, mapControls } from './ui/map-controls.ts';
import { paramsPanel } from './ui/params.ts';
import { resultsPanel, summaryLine } from './ui/results.ts';
import { selectionPanel } from './ui/selection.ts';
import { solverPanel } from './ui/solver-panel.ts';
import { toolbar } from './ui/toolbar.ts';

const byId = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;

const store = new Store<AppState>(initialState());
const solver = new SolveController(store);
watchFieldErrors((fieldErrors) => store.update({ fieldErrors }));
const derived = () => derive(store.state);

const io = ioPanel(store);
const params = paramsPanel(store);
const selection = selectionPanel(store);
const solve = solverPanel(store, solver);
const compare = comparePanel(store, derived);
const diagnosis = diagnosisView();
const results = resultsPanel(store, { before: h('div', { class: 'buttons' }, compare.pinButton), after: diagnosis.el });
const tools = toolbar(store);
const controls = mapControls(store);
const scales = legendScales();

// The one live region: a short sentence, also the sticky bar with Solve on small screens.
const summary = h('p', { id: 'summary-line', 'aria-live': 'polite', role: 'status' });
const barSolve = h('button', { type: 'button', id: 'bar-solve', class: 'primary' }, 'Solve');
barSolve.addEventListener('click', () => void solver.solve());
const statusBar = h('div', { class: 'status-bar', id: 'status-bar' }, summary, barSolve);

byId<HTMLElement>('left').append(selection.el, params.el, io.el);
byId<HTMLElement>('right').append(statusBar, solve.el, results.el, compare.el);
byId<HTMLElement>('toolbar-slot').append(tools.el);
byId<HTMLElement>('map-controls-slot').append(controls.el);
byId<HTMLElement>('hint-slot').append(tools.hint);
byId<HTMLElement>('map-wrap').append(tools.banner);
byId<HTMLElement>('legend-scales-slot').append(scales.el);

const map = byId<SVGSVGElement>('map');
attachMapInteraction(map, store);
attachReadouts(map, byId<HTMLElement>('map-wrap'), store, derived);

// The CRLB map: computed in a worker for the shown design and the current view.
const heatClient = new ToolClient();
let heatTimer: ReturnType<typeof setTimeout> | undefined;
let heatWanted: unknown[] = [];
function updateHeat(s: AppState): void {
  const shown = derive(s).shown;
  const want = s.heatmap === 'crlb' && shown?.evaluation ? [shown.entry, s.version, s.view] : [];
  if (want.length === heatWanted.length && want.every((k, i) => k === heatWanted[i])) return;
  heatWanted = want;
  clearTimeout(heatTimer);
  heatClient.cancel();
  if (want.length === 0 || !shown) return;
  const { version, view } = s;
  heatTimer = setTimeout(() => {
    heatClient.run('heatmap', { scenario: draftToJson(s.draft, s.explicit), design: shown.entry.design, view, n: 56 }).then(
      (v) => store.update({ heat: { result: shown.entry, version, view, n: v.n, crlb: v.crlb } }),
      (err) => {
        if (!(err instanceof SupersededError)) setMessage(store, 'edit', `The CRLB map failed: ${errorText(err)}`);
      },
    );
  }, 150);
}

// Infeasible: find which requirement to relax, in another worker (the solver stays free).
const diagClient = new ToolClient();
function updateDiagnosis(s: AppState): void {
  const r = s.result;
  const infeasible = r && r.scenarioVersion === s.version && r.origin === 'solver' && r.design.status === 'infeasible';
  if (!infeasible) {
    if (diagClient.busy()) diagClient.cancel();
    return;
  }
  if (s.diagnosis?.result === r) return;
  store.update({ diagnosis: { result: r, running: true, message: 'starting' } });
  const scenario = draftToJson(s.draft, s.explicit);
  const onProgress = (message: string) => store.update((st) => (st.diagnosis?.result === r ? { diagnosis: { ...st.diagnosis, message } } : {}));
  const mine = (fn: (d: NonNullable<AppState['diagnosis']>) => Partial<NonNullable<AppState['diagnosis']>>) =>
    store.update((st) => (st.diagnosis?.result === r ? { diagnosis: { ...st.diagnosis, ...fn(st.diagnosis) } } : {}));
  // First the solver's certificates (a few SDPs, shown at once), then the bisection probes.
  // A fixed result is about its own receiver and association: its certificate is that SDP's.
  const d = r.design;
  const fixed =
    d.method === 'fixed' && typeof d.receiver === 'number' && Array.isArray(d.association)
      ? { receiver: d.receiver, association: (d.association as number[]).slice() }
      : undefined;
  diagClient
    .run('certify', fixed ? { scenario, fixed } : { scenario }, onProgress)
    .then((certificates) => {
      // A newer result may own the worker by now: then this explanation is no longer wanted.
      if (store.state.diagnosis?.result !== r) throw new SupersededError();
      mine(() => ({ certificates }));
      return diagClient.run('diagnose', { scenario }, onProgress);
    })
    .then(
      (value) => mine(() => ({ running: false, message: '', value })),
      (err) => {
        if (err instanceof SupersededError) return;
        mine(() => ({ running: false, message: errorText(err) }));
      },
    );
}

// Work is kept in localStorage (debounced) and restored on the next visit.
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let savedKey: unknown[] = [];
function persist(s: AppState): void {
  const key = [s.draft, s.explicit, s.result, s.radius, s.method];
  if (key.every((k, i) => k === savedKey[i])) return;
  savedKey = key;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => saveState(store.state), 300);
}

// The map only depends on these; progress ticks during a solve leave it alone.
let mapKey: unknown[] = [];
store.subscribe((s) => {
  const d = derive(s);
  const key = [
    s.draft,
    s.result,
    s.version,
    s.selection,
    s.view,
    s.radius,
    s.beamScale,
    d.shown,
    s.heat,
    s.heatmap,
    s.sinrLayer,
    s.mode,
    s.fixed,
    s.fixedPending,
  ];
  if (!key.every((k, i) => k === mapKey[i])) {
    mapKey = key;
    renderMap(map, s, d);
  }
  map.dataset.mode = s.mode;
  io.sync(s);
  params.sync(s);
  selection.sync(s);
  solve.sync(s);
  results.sync(s, d);
  compare.sync(s, d);
  diagnosis.sync(s);
  tools.sync(s);
  controls.sync(s);
  scales.sync(s, d);
  const line = summaryLine(s, d);
  if (summary.textContent !== line) summary.textContent = line;
  barSolve.disabled = solve.solveButton.disabled;
  barSolve.textContent = s.solving ? 'Restart' : 'Solve';
  document.body.dataset.solving = s.solving ? 'true' : 'false';
  // Lets scripts (and the browser tests) see that a scenario was replaced or edited.
  document.body.dataset.version = String(s.version);
  updateHeat(s);
  updateDiagnosis(s);
  persist(s);
});

// Symbols and labels grow when the map is drawn small (phones): redraw when its width changes.
let lastWidth = 0;
new ResizeObserver(() => {
  const w = Math.round(map.getBoundingClientRect().width);
  if (Math.abs(w - lastWidth) < 8) return;
  lastWidth = w;
  mapKey = [];
  store.update({});
}).observe(map);

/** A shared link wins over the saved work; either is checked like an import. */
async function restore(): Promise<void> {
  if (location.hash.startsWith('#s=')) {
    try {
      const shared = await readFragment(location.hash);
      if (shared) {
        if (shared.radius) store.update({ radius: shared.radius });
        loadScenario(store, shared.loaded, 'import');
        store.update({ undo: [] });
        setMessage(store, 'share', 'Scenario loaded from the link.');
        return;
      }
    } catch (err) {
      setMessage(store, 'import', `The link's scenario could not be read: ${errorText(err)}`);
    }
  }
  const saved = restoreState();
  if (!saved) return;
  if (saved.radius) store.update({ radius: saved.radius });
  if (saved.method) store.update({ method: saved.method });
  loadScenario(store, saved.loaded, 'import');
  store.update((s) => ({ undo: [], result: restoredResult(saved, s.version) }));
}

store.flush();
void restore().then(() => {
  document.body.dataset.ready = 'true';
});

/** Entry point: builds the panels, wires the store, the map and the solver worker. */
import './styles.css';
import { derive } from './app/derived.ts';
import { initialState, type AppState } from './app/state.ts';
import { Store } from './app/store.ts';
import { attachMapInteraction } from './map/interact.ts';
import { renderMap } from './map/render.ts';
import { SolveController } from './solver/controller.ts';
import { ioPanel } from './ui/io-panel.ts';
import { paramsPanel } from './ui/params.ts';
import { resultsPanel } from './ui/results.ts';
import { selectionPanel } from './ui/selection.ts';
import { solverPanel } from './ui/solver-panel.ts';
import { toolbar } from './ui/toolbar.ts';

const byId = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;

const store = new Store<AppState>(initialState());
const solver = new SolveController(store);

const io = ioPanel(store);
const params = paramsPanel(store);
const selection = selectionPanel(store);
const solve = solverPanel(store, solver);
const results = resultsPanel(store);
const tools = toolbar(store);

byId<HTMLElement>('left').append(io.el, params.el, selection.el);
byId<HTMLElement>('right').append(solve.el, results.el);
byId<HTMLElement>('toolbar-slot').append(tools.el);
byId<HTMLElement>('hint-slot').append(tools.hint);

const map = byId<SVGSVGElement>('map');
attachMapInteraction(map, store);

// The map only depends on these; progress ticks during a solve leave it alone.
let mapKey: unknown[] = [];
store.subscribe((s) => {
  const d = derive(s);
  const key = [s.draft, s.result, s.version, s.selection, s.viewRadius, s.radius, s.beamScale, d.shown];
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
  tools.sync(s);
  document.body.dataset.solving = s.solving ? 'true' : 'false';
});
store.flush();

/** Method and solver settings, Solve / Cancel and the progress of a running solve. */
import { UI_METHODS, type AppState, type UiMethod } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import type { SolveController } from '../solver/controller.ts';
import { formatSeconds } from '../format.ts';
import { h } from './dom.ts';
import { checkboxField, numberField, selectField, type Field } from './fields.ts';

const METHOD_LABELS: Record<UiMethod, string> = {
  proposed: 'proposed (Algorithm 1, AO)',
  exact: 'exact (branch and bound)',
  scheme1: 'scheme 1 (receiver closest to target)',
  scheme2: 'scheme 2 (random receiver/association)',
  scheme3: 'scheme 3 (BS1 → BS2 bistatic)',
};

export function solverPanel(store: Store<AppState>, solver: SolveController): { el: HTMLElement; sync(s: AppState): void } {
  const method = selectField<UiMethod>({
    id: 'method', label: 'Method',
    options: UI_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] })),
    get: (s) => s.method, set: (v) => store.update({ method: v }),
  });
  const limit = numberField({
    id: 'time-limit', label: 'Time limit (exact)', unit: 's', min: 1, max: 3600,
    get: (s) => s.timeLimit, set: (v) => store.update({ timeLimit: v! }),
  });
  const fields: Field[] = [
    method,
    limit,
    checkboxField({
      id: 'auto-solve', label: 'Re-solve automatically after edits',
      title: 'Solves again 0.7 s after the last edit (a running solve is cancelled)',
      get: (s) => s.autoSolve, set: (v) => store.update({ autoSolve: v }),
    }),
    selectField<AppState['beamScale']>({
      id: 'beam-scale', label: 'Beam patterns',
      options: [
        { value: 'linear', label: 'linear power, shared scale' },
        { value: 'db', label: 'dB (30 dB range), shared scale' },
        { value: 'off', label: 'hidden' },
      ],
      get: (s) => s.beamScale, set: (v) => store.update({ beamScale: v }),
    }),
  ];
  const solveBtn = h('button', { type: 'button', id: 'solve', class: 'primary' }, 'Solve');
  const cancelBtn = h('button', { type: 'button', id: 'cancel' }, 'Cancel');
  solveBtn.addEventListener('click', () => void solver.solve());
  cancelBtn.addEventListener('click', () => solver.cancel());
  const bar = h('progress', { id: 'progress', max: 1, value: 0 });
  const text = h('div', { class: 'progress-text', id: 'progress-text', 'aria-live': 'polite' });
  const error = h('div', { class: 'field-error', id: 'solve-error', role: 'alert' });
  const box = h('div', { class: 'progress-box' }, bar, text);
  const el = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'solver-h' },
    h('h2', { id: 'solver-h' }, 'Solve'),
    ...fields.map((f) => f.el),
    h('div', { class: 'buttons' }, solveBtn, cancelBtn),
    box,
    error,
  );
  let started = 0;
  let message = '';
  // Elapsed time ticks without touching the store (no re-render of the map).
  setInterval(() => {
    if (started) text.textContent = `${message} · ${formatSeconds((performance.now() - started) / 1000)}`;
  }, 200);
  return {
    el,
    sync(s) {
      for (const f of fields) f.sync(s);
      limit.el.hidden = s.method !== 'exact';
      const run = s.solving;
      solveBtn.textContent = run ? 'Restart' : 'Solve';
      cancelBtn.disabled = !run;
      box.hidden = !run;
      started = run ? run.startedAt : 0;
      message = run ? `${run.method}: ${run.message}` : '';
      // exact reports no fraction (its work is unknown in advance): an indeterminate bar then.
      if (run && run.fraction > 0) bar.value = Math.min(1, run.fraction);
      else bar.removeAttribute('value');
      error.textContent = s.messages.solve ?? '';
      const stale = s.result !== null && s.result.scenarioVersion !== s.version;
      solveBtn.classList.toggle('attention', !run && (s.result === null || stale));
    },
  };
}

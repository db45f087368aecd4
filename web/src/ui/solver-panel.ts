/**
 * Method and solver settings, Solve / Cancel and the progress of a running solve. `fixed`
 * takes the receiving BS and each user's serving BS from selects here (pre-filled from the
 * shown result with one click); `exact` shows its node count, bound and gap while it runs.
 */
import { enterFixedMode, repairFixed } from '../app/fixed-pick.ts';
import { UI_METHODS, type AppState, type UiMethod } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { SolveController } from '../solver/controller.ts';
import { bsLabel, formatPercent, formatSeconds, formatWatts, userLabel } from '../format.ts';
import { h, setChildren } from './dom.ts';
import { checkboxField, numberField, selectField, type Field } from './fields.ts';

const METHOD_LABELS: Record<UiMethod, string> = {
  proposed: 'proposed (Algorithm 1, AO)',
  exact: 'exact (branch and bound)',
  fixed: 'fixed (your receiver and association)',
  scheme1: 'scheme 1 (receiver closest to target)',
  scheme2: 'scheme 2 (random receiver/association)',
  scheme3: 'scheme 3 (BS1 → BS2 bistatic)',
};

/** exact's progress message "exact: 12 nodes, bound 1.2e-1 W, best 1.3e-1 W" in words; other messages as they are. */
export function progressText(message: string): string {
  const m = /(\d+) nodes, bound (\S+) W, best (\S+) W/.exec(message);
  if (!m) return message;
  const bound = Number(m[2]);
  const best = Number(m[3]);
  const b = Number.isFinite(bound) && bound > 0 ? formatWatts(bound) : 'no bound yet';
  const inc = Number.isFinite(best) ? formatWatts(best) : 'none yet';
  const gap = Number.isFinite(best) && Number.isFinite(bound) && bound > 0 ? formatPercent(Math.max(0, (best - bound) / best)) : '—';
  return `${m[1]} nodes · bound ${b} · best ${inc} · gap ${gap}`;
}

function fixedEditor(store: Store<AppState>): { el: HTMLElement; sync(s: AppState): void } {
  const box = h('div', { class: 'fixed-choice', id: 'fixed-choice' });
  const useShown = h('button', { type: 'button', id: 'fixed-from-result' }, 'Take the shown result’s receiver and association');
  useShown.addEventListener('click', () => {
    const r = store.state.result?.design;
    if (typeof r?.receiver === 'number' && Array.isArray(r.association)) {
      store.update({ fixed: { receiver: r.receiver, association: (r.association as number[]).slice() } });
    }
  });
  const onMap = h(
    'button',
    { type: 'button', id: 'fixed-on-map', title: 'Mode "Choose fixed" (key A): click a BS, or a user and then a BS, on the map' },
    'Choose on the map',
  );
  onMap.addEventListener('click', () => store.update(enterFixedMode()));
  const el = h(
    'div',
    {},
    h(
      'p',
      { class: 'hint' },
      'Choose the receiving BS and who serves each user, here or on the map; fixed then solves the beamforming SDP for exactly that choice.',
    ),
    box,
    h('div', { class: 'buttons' }, onMap, useShown),
  );
  let lastKey = '';
  const options = (S: number, chosen: number, skip = -1) =>
    Array.from({ length: S }, (_, s) => s)
      .filter((s) => s !== skip)
      .map((s) => h('option', { value: s, selected: s === chosen }, bsLabel(s)));
  box.addEventListener('change', (e) => {
    const t = e.target as HTMLSelectElement;
    const f = store.state.fixed;
    const v = Number(t.value);
    if (t.id === 'fixed-receiver') {
      const { draft } = store.state;
      store.update({ fixed: repairFixed({ receiver: v, association: f.association }, draft.baseStations.length, draft.users.length) });
    } else {
      const k = Number(t.getAttribute('data-user'));
      store.update({ fixed: { ...f, association: f.association.map((a, i) => (i === k ? v : a)) } });
    }
  });
  return {
    el,
    sync(s) {
      const S = s.draft.baseStations.length;
      const K = s.draft.users.length;
      const f = repairFixed(s.fixed, S, K);
      if (JSON.stringify(f) !== JSON.stringify(s.fixed)) {
        queueMicrotask(() => store.update({ fixed: f }));
      }
      const r = s.result?.design;
      useShown.disabled = !(typeof r?.receiver === 'number' && Array.isArray(r.association) && (r.association as unknown[]).length === K);
      // Rebuild the selects only when their options change (S, K, the receiver, which no user
      // may be served by); otherwise set their values in place, so a select the user is working
      // with is never replaced under them (a second change within one frame would be lost).
      const key = `${S}|${K}|${f.receiver}`;
      if (key === lastKey) {
        f.association.forEach((a, k) => {
          const sel = box.querySelector<HTMLSelectElement>(`#fixed-user-${k}`);
          if (sel && sel.value !== String(a)) sel.value = String(a);
        });
        return;
      }
      lastKey = key;
      setChildren(
        box,
        h('label', { for: 'fixed-receiver' }, 'Receiving BS'),
        h('select', { id: 'fixed-receiver' }, ...options(S, f.receiver)),
        ...f.association.flatMap((a, k) => [
          h('label', { for: `fixed-user-${k}` }, `${userLabel(k)} served by`),
          h('select', { id: `fixed-user-${k}`, 'data-user': k }, ...options(S, a, f.receiver)),
        ]),
      );
    },
  };
}

export function solverPanel(store: Store<AppState>, solver: SolveController): { el: HTMLElement; sync(s: AppState): void; solveButton: HTMLButtonElement } {
  const method = selectField<UiMethod>({
    id: 'method',
    label: 'Method',
    options: UI_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] })),
    get: (s) => s.method,
    set: (v) => store.update({ method: v }),
  });
  const limit = numberField({
    id: 'time-limit',
    label: 'Time limit (exact)',
    unit: 's',
    min: 1,
    max: 3600,
    get: (s) => s.timeLimit,
    set: (v) => store.update({ timeLimit: v! }),
  });
  const fixed = fixedEditor(store);
  const fields: Field[] = [
    method,
    limit,
    checkboxField({
      id: 'auto-solve',
      label: 'Re-solve automatically after edits',
      title: 'Solves again 0.7 s after the last edit (a running solve is cancelled)',
      get: (s) => s.autoSolve,
      set: (v) => store.update({ autoSolve: v }),
    }),
  ];
  const solveBtn = h('button', { type: 'button', id: 'solve', class: 'primary' }, 'Solve');
  const cancelBtn = h('button', { type: 'button', id: 'cancel' }, 'Cancel');
  solveBtn.addEventListener('click', () => void solver.solve());
  cancelBtn.addEventListener('click', () => solver.cancel());
  const bar = h('progress', { id: 'progress', max: 1, value: 0 });
  const text = h('div', { class: 'progress-text', id: 'progress-text' });
  const error = h('div', { class: 'field-error', id: 'solve-error', role: 'alert' });
  const blockedNote = h('div', { class: 'field-error', id: 'solve-blocked' });
  const box = h('div', { class: 'progress-box' }, bar, text);
  const el = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'solver-h' },
    h('h2', { id: 'solver-h' }, 'Solve'),
    method.el,
    limit.el,
    fixed.el,
    ...fields.slice(2).map((f) => f.el),
    h('div', { class: 'buttons' }, solveBtn, cancelBtn),
    blockedNote,
    box,
    error,
  );
  let started = 0;
  let message = '';
  // exact's search figures stay on screen while it reports its other stages (relaxations solved).
  let search = '';
  const show = () => {
    if (started) text.textContent = `${message}${search ? ` · ${search}` : ''} · ${formatSeconds((performance.now() - started) / 1000)}`;
  };
  // Elapsed time ticks without touching the store (no re-render of the map).
  setInterval(show, 200);
  return {
    el,
    solveButton: solveBtn,
    sync(s) {
      for (const f of fields) f.sync(s);
      limit.el.hidden = s.method !== 'exact';
      fixed.el.hidden = s.method !== 'fixed';
      if (s.method === 'fixed') fixed.sync(s);
      const run = s.solving;
      const blocked = SolveController.blocked(s);
      solveBtn.textContent = run ? 'Restart' : 'Solve';
      solveBtn.disabled = blocked !== null;
      blockedNote.textContent = blocked ?? '';
      cancelBtn.disabled = !run;
      box.hidden = !run;
      if (!run || run.startedAt !== started) search = '';
      started = run ? run.startedAt : 0;
      const words = run ? progressText(run.message) : '';
      if (run && words !== run.message) search = words;
      message = run ? `${run.method}: ${words === run.message ? run.message.replace(/^exact: /, '') : 'searching'}` : '';
      show();
      // exact reports no fraction (its work is unknown in advance): an indeterminate bar then.
      if (run && run.fraction > 0) bar.value = Math.min(1, run.fraction);
      else bar.removeAttribute('value');
      error.textContent = s.messages.solve && !blocked ? s.messages.solve : '';
      const stale = s.result !== null && s.result.scenarioVersion !== s.version;
      solveBtn.classList.toggle('attention', !run && (s.result === null || stale));
    },
  };
}

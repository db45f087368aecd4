/**
 * The selected node: its position as numbers, a user's own SINR target and noise, a BS's
 * array axis (empty = the contract's default, broadside towards the origin), and Remove.
 */
import { editScenario } from '../app/actions.ts';
import type { Draft, DraftUser, XY } from '../app/draft.ts';
import { moveNode, nodePosition, removeNode } from '../app/edits.ts';
import type { AppState, NodeRef } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { defaultArrayAxis } from '../../../src/model/geometry.ts';
import { bsLabel, userLabel } from '../format.ts';
import { h } from './dom.ts';
import { numberField, type Field } from './fields.ts';
import { LIMITS } from '../app/limits.ts';

const deg = (u: XY) => Math.round(((Math.atan2(u[1], u[0]) * 180) / Math.PI) * 100) / 100;

export function selectionPanel(store: Store<AppState>): { el: HTMLElement; sync(s: AppState): void } {
  const sel = () => store.state.selection;
  const move = (axis: 0 | 1, v: number) => {
    const ref = sel();
    const p = ref && nodePosition(store.state.draft, ref);
    if (!ref || !p) return;
    const to: XY = axis === 0 ? [v, p[1]] : [p[0], v];
    editScenario(store, (d) => moveNode(d, ref, to), 'geometry');
  };
  const userOf = (s: AppState): DraftUser | undefined => (s.selection?.kind === 'user' ? s.draft.users[s.selection.index] : undefined);
  const setUser = (patch: Partial<DraftUser>) => {
    const ref = sel();
    if (ref?.kind !== 'user') return;
    editScenario(store, (d: Draft) => ({ ...d, users: d.users.map((u, k) => (k === ref.index ? { ...u, ...patch } : u)) }), 'params');
  };
  const bsOf = (s: AppState) => (s.selection?.kind === 'bs' ? s.draft.baseStations[s.selection.index] : undefined);

  const pos: Field[] = [
    numberField({
      id: 's-x',
      label: 'x',
      unit: 'm',
      clampTo: [LIMITS.coordinate.min, LIMITS.coordinate.max],
      get: (s) => (s.selection ? nodePosition(s.draft, s.selection)?.[0] : undefined),
      set: (v) => move(0, v!),
    }),
    numberField({
      id: 's-y',
      label: 'y',
      unit: 'm',
      clampTo: [LIMITS.coordinate.min, LIMITS.coordinate.max],
      get: (s) => (s.selection ? nodePosition(s.draft, s.selection)?.[1] : undefined),
      set: (v) => move(1, v!),
    }),
  ];
  const user: Field[] = [
    numberField({
      id: 's-sinr',
      label: 'SINR target Γ (this user)',
      unit: 'dB',
      ...LIMITS.minSinrDb,
      get: (s) => userOf(s)?.minSinrDb,
      set: (v) => setUser({ minSinrDb: v! }),
    }),
    numberField({
      id: 's-noise',
      label: 'Noise σc² (this user)',
      unit: 'dBm',
      ...LIMITS.noisePowerDbm,
      get: (s) => userOf(s)?.noisePowerDbm,
      set: (v) => setUser({ noisePowerDbm: v! }),
    }),
  ];
  const axis = numberField({
    id: 's-axis',
    label: 'Array axis angle',
    unit: '°',
    min: -360,
    max: 360,
    optional: true,
    emptyText: 'default',
    title: 'Direction of the array axis u from the +x axis; empty for the default (broadside towards the origin)',
    get: (s) => {
      const b = bsOf(s);
      return b?.arrayAxis ? deg(b.arrayAxis) : undefined;
    },
    set: (v) => {
      const ref = sel();
      if (ref?.kind !== 'bs') return;
      const a = v === undefined ? undefined : (v * Math.PI) / 180;
      const u: XY | undefined = a === undefined ? undefined : [Math.round(Math.cos(a) * 1e12) / 1e12, Math.round(Math.sin(a) * 1e12) / 1e12];
      editScenario(
        store,
        (d) => ({
          ...d,
          baseStations: d.baseStations.map((b, s) => (s === ref.index ? { position: b.position, ...(u ? { arrayAxis: u } : {}) } : b)),
        }),
        'params',
      );
    },
  });
  const title = h('h2', { id: 'sel-h' });
  const axisHint = h('p', { class: 'hint' });
  const removeBtn = h('button', { type: 'button', id: 'remove-selected' }, 'Remove');
  removeBtn.addEventListener('click', () => {
    const ref = sel();
    if (ref && editScenario(store, (d) => removeNode(d, ref), 'geometry')) store.update({ selection: null });
  });
  const targetBound = numberField({
    id: 's-target-eps',
    label: 'CRLB bound ε (this target)',
    unit: 'm²',
    ...LIMITS.crlbMax,
    optional: true,
    emptyText: 'scenario ε',
    title: "This target's own bound; empty for the scenario's ε",
    get: (s) => (s.selection?.kind === 'target' ? s.draft.targets[s.selection.index]?.crlbMax : undefined),
    set: (v) => {
      const ref = sel();
      if (ref?.kind !== 'target') return;
      editScenario(
        store,
        (d) => ({ ...d, targets: d.targets.map((t, i) => (i === ref.index ? { position: t.position, ...(v !== undefined ? { crlbMax: v } : {}) } : t)) }),
        'params',
      );
    },
  });
  const targetBox = h('div', {}, targetBound.el);
  const userBox = h('div', {}, ...user.map((f) => f.el));
  const bsBox = h('div', {}, axis.el, axisHint);
  const empty = h('p', { class: 'hint' }, 'Click a BS, user or target on the map (or Tab to it) to edit it here.');
  const el = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'sel-h', id: 'selection' },
    title,
    empty,
    ...pos.map((f) => f.el),
    userBox,
    bsBox,
    targetBox,
    removeBtn,
  );

  const name = (r: NodeRef, T: number) =>
    r.kind === 'user' ? `User ${userLabel(r.index)}` : r.kind === 'bs' ? `Base station ${bsLabel(r.index)}` : T === 1 ? 'Target' : `Target T${r.index + 1}`;
  return {
    el,
    sync(s) {
      const r = s.selection;
      const valid = r !== null && nodePosition(s.draft, r) !== undefined;
      title.textContent = valid ? `Selected: ${name(r!, s.draft.targets.length)}` : 'Selection';
      empty.hidden = valid;
      for (const f of pos) f.el.hidden = !valid;
      userBox.hidden = !valid || r!.kind !== 'user';
      bsBox.hidden = !valid || r!.kind !== 'bs';
      targetBox.hidden = !valid || r!.kind !== 'target';
      removeBtn.hidden = !valid || (r!.kind === 'target' && s.draft.targets.length <= 1);
      for (const f of [...pos, ...user, axis, targetBound]) f.sync(s);
      const b = bsOf(s);
      axisHint.textContent = b && !b.arrayAxis ? `Default axis: ${deg(defaultArrayAxis(b.position))}° (broadside towards the origin).` : '';
    },
  };
}

/** Map editing modes (buttons with key shortcuts) and the hint/edit message under the map. */
import type { AppState, Mode } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { h } from './dom.ts';

const MODES: { mode: Mode; label: string; key: string; hint: string }[] = [
  {
    mode: 'move',
    label: 'Move / select',
    key: 'M',
    hint: 'Drag a BS, user or the target to move it; click to select it. Arrow keys nudge the selection, Delete removes it.',
  },
  { mode: 'add-user', label: 'Add user', key: 'U', hint: 'Click on the map to add a user (its SINR target and noise are the "all users" values).' },
  { mode: 'add-bs', label: 'Add BS', key: 'B', hint: 'Click on the map to add a base station (array broadside towards the origin).' },
  {
    mode: 'add-target',
    label: 'Add target',
    key: 'T',
    hint: 'Click on the map to add a sensed target (each target gets its own CRLB constraint and ellipse).',
  },
  { mode: 'delete', label: 'Delete', key: 'D', hint: 'Click a BS, user or target to remove it (at least 2 BSs and 1 target stay).' },
];

export function toolbar(store: Store<AppState>): { el: HTMLElement; hint: HTMLElement; sync(s: AppState): void } {
  const buttons = MODES.map((m) => {
    const b = h('button', { type: 'button', 'data-mode': m.mode, 'aria-pressed': 'false', title: `${m.label} (key ${m.key})` }, m.label, h('kbd', {}, m.key));
    b.addEventListener('click', () => store.update({ mode: m.mode }));
    return b;
  });
  const el = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Map editing mode' }, ...buttons);
  const hintText = h('span', {});
  const editMsg = h('span', { class: 'edit-error', id: 'edit-error', role: 'alert' });
  const hint = h('p', { class: 'map-hint' }, hintText, ' ', editMsg);
  return {
    el,
    hint,
    sync(s) {
      buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(MODES[i].mode === s.mode)));
      hintText.textContent = MODES.find((m) => m.mode === s.mode)!.hint;
      editMsg.textContent = s.messages.edit ?? '';
    },
  };
}

/** Map editing modes (buttons with key shortcuts) and the hint/edit message under the map. */
import { fixedHint, modeChange } from '../app/fixed-pick.ts';
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
  // The hint of this mode depends on the state (fixedHint).
  { mode: 'fixed', label: 'Choose fixed', key: 'A', hint: '' },
];

export function toolbar(store: Store<AppState>): { el: HTMLElement; hint: HTMLElement; banner: HTMLElement; sync(s: AppState): void } {
  const buttons = MODES.map((m) => {
    const b = h('button', { type: 'button', 'data-mode': m.mode, 'aria-pressed': 'false', title: `${m.label} (key ${m.key})` }, m.label, h('kbd', {}, m.key));
    b.addEventListener('click', () => store.update(modeChange(m.mode)));
    return b;
  });
  const el = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Map editing mode' }, ...buttons);
  const hintText = h('span', {});
  const editMsg = h('span', { class: 'edit-error', id: 'edit-error', role: 'alert' });
  const hint = h('p', { class: 'map-hint', id: 'map-hint' }, hintText, ' ', editMsg);
  // "Choose fixed" is a mode with its own drawing: a banner on the map says so, with the way out
  // (besides Escape and the Move button).
  const done = h('button', { type: 'button', id: 'fixed-done' }, 'Done');
  done.addEventListener('click', () => store.update(modeChange('move')));
  const bannerText = h('span', {});
  const banner = h('div', { class: 'mode-banner', id: 'mode-banner', hidden: true }, bannerText, done);
  return {
    el,
    hint,
    banner,
    sync(s) {
      buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(MODES[i]!.mode === s.mode)));
      hintText.textContent = s.mode === 'fixed' ? fixedHint(s) : MODES.find((m) => m.mode === s.mode)!.hint;
      banner.hidden = s.mode !== 'fixed';
      if (s.mode === 'fixed') {
        const k = s.fixedPending;
        bannerText.textContent =
          k !== null && k < s.draft.users.length
            ? `Choosing fixed: U${k + 1} picked, click its serving BS`
            : 'Choosing fixed: click the receiver, or a user then a BS';
      }
      editMsg.textContent = s.messages.edit ?? '';
    },
  };
}

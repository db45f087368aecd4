/**
 * Pin results and compare them side by side: method, verdict, receiver, association, power
 * per BS, total, CRLB and exact's gap, as evaluated when pinned. "Show" brings a pinned design
 * back onto the map (evaluated on the current scenario if that changed since).
 */
import type { Derived } from '../app/derived.ts';
import type { AppState, Pinned } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { bsLabel, formatPercent, formatSig, formatWatts } from '../format.ts';
import { h, setChildren } from './dom.ts';
import { verdict } from './results.ts';

let nextId = 1;

export function pinOf(s: AppState, d: Derived): Pinned | null {
  const shown = d.shown;
  const ev = shown?.evaluation;
  if (!shown || !ev) return null;
  const lb = shown.entry.design.lowerBound;
  return {
    id: nextId++,
    entry: shown.entry,
    method: String(shown.entry.design.method ?? shown.entry.fileName ?? 'design'),
    verdict: verdict(shown).text,
    receiver: ev.receiver,
    association: ev.association.slice(),
    powerPerBs: ev.powerPerBs.slice(),
    totalPower: ev.totalPower,
    crlb: ev.crlb,
    gap: typeof lb === 'number' && lb > 0 ? Math.max(0, (ev.totalPower - lb) / ev.totalPower) : null,
    version: s.version,
  };
}

export function comparePanel(
  store: Store<AppState>,
  derived: () => Derived,
): { el: HTMLElement; pinButton: HTMLButtonElement; sync(s: AppState, d: Derived): void } {
  const pinButton = h('button', { type: 'button', id: 'pin' }, 'Pin for comparison');
  pinButton.addEventListener('click', () => {
    const p = pinOf(store.state, derived());
    if (p) store.update((s) => ({ pinned: [...s.pinned, p].slice(-6) }));
  });
  const body = h('div', { id: 'compare-body' });
  const el = h('section', { class: 'panel', 'aria-labelledby': 'cmp-h', id: 'compare' }, h('h2', { id: 'cmp-h' }, 'Compare pinned results'), body);
  body.addEventListener('click', (e) => {
    const b = (e.target as Element).closest('button[data-pin]');
    if (!b) return;
    const id = Number(b.getAttribute('data-pin'));
    const p = store.state.pinned.find((x) => x.id === id);
    if (!p) return;
    if (b.getAttribute('data-action') === 'unpin') store.update((s) => ({ pinned: s.pinned.filter((x) => x.id !== id) }));
    else store.update({ result: p.entry });
  });
  let last: unknown[] = [];
  return {
    el,
    pinButton,
    sync(s, d) {
      pinButton.disabled = !d.shown?.evaluation;
      el.hidden = s.pinned.length === 0;
      const key = [s.pinned, s.version, s.draft.baseStations.length, s.draft.users.length];
      if (key.every((k, i) => k === last[i])) return;
      last = key;
      const S = Math.max(0, ...s.pinned.map((p) => p.powerPerBs.length));
      const head = h('tr', {}, h('th', {}, ''), ...s.pinned.map((p, i) => h('th', { scope: 'col' }, `#${i + 1} ${p.method}`)));
      const line = (label: string, cell: (p: Pinned) => string) => h('tr', {}, h('th', { scope: 'row' }, label), ...s.pinned.map((p) => h('td', {}, cell(p))));
      const rows = [
        line('Status', (p) => p.verdict),
        line('Receiver', (p) => bsLabel(p.receiver)),
        line('Association', (p) => p.association.map((a) => a + 1).join(' ')),
        ...Array.from({ length: S }, (_, bs) => line(`${bsLabel(bs)} power`, (p) => (bs < p.powerPerBs.length ? formatWatts(p.powerPerBs[bs]) : '—'))),
        line('Total power', (p) => formatWatts(p.totalPower)),
        line('CRLB', (p) => (p.crlb === null ? '∞' : `${formatSig(p.crlb)} m²`)),
        line('Certified gap', (p) => (p.gap === null ? '—' : formatPercent(p.gap))),
        line('Scenario', (p) => (p.version === s.version ? 'current' : 'an earlier edit')),
      ];
      const actions = h(
        'tr',
        {},
        h('th', {}, ''),
        ...s.pinned.map((p) =>
          h(
            'td',
            {},
            h('button', { type: 'button', class: 'small-btn', 'data-pin': p.id, 'data-action': 'show' }, 'Show'),
            ' ',
            h(
              'button',
              { type: 'button', class: 'small-btn', 'data-pin': p.id, 'data-action': 'unpin', 'aria-label': `Unpin #${s.pinned.indexOf(p) + 1}` },
              'Unpin',
            ),
          ),
        ),
      );
      setChildren(
        body,
        h('div', { class: 'table-scroll' }, h('table', { id: 'compare-table' }, h('thead', {}, head), h('tbody', {}, ...rows, actions))),
        h('p', { class: 'hint' }, 'Association: the serving BS of U1, U2, … in order.'),
      );
    },
  };
}

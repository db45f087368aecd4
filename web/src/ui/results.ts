/**
 * The result panel: status, receiving BS, total power, solve time, exact's certified gap,
 * CRLB against epsilon (with the error ellipse's axes), per-user SINR against the target and
 * per-BS power against the budget. Every number comes from re-evaluating the design with the
 * model (as `netisac evaluate` does), not from what the solver or the file claims.
 */
import type { Derived, Shown } from '../app/derived.ts';
import type { AppState } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { bsLabel, formatDb, formatDbm, formatPercent, formatSeconds, formatSig, formatWatts, userLabel } from '../format.ts';
import { covarianceEllipse, epsilonRadius } from '../map/ellipse.ts';
import { bsColor } from '../map/render.ts';
import { h, setChildren } from './dom.ts';

/** "+0.00" rather than "-0.00" for a margin that rounds to zero. */
function signed(x: number): string {
  const s = x.toFixed(2);
  return Number(s) === 0 ? '+0.00' : x > 0 ? `+${s}` : s;
}

function bar(fraction: number, ok: boolean): HTMLElement {
  const w = Math.max(0, Math.min(1, fraction));
  return h('span', { class: `bar${ok ? '' : ' over'}` }, h('span', { style: `width:${(100 * w).toFixed(1)}%` }));
}

function row(label: string, value: Node | string, id?: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', { id }, value)];
}

function summary(s: AppState, shown: Shown): HTMLElement {
  const d = shown.entry.design;
  const ev = shown.evaluation;
  const items: HTMLElement[] = [];
  const status = String(d.status ?? (ev ? (ev.feasible ? 'feasible' : 'infeasible') : 'unknown'));
  items.push(...row('Status', h('span', { class: `badge ${status}` }, status), 'status'));
  items.push(...row('Method', String(d.method ?? '—'), 'result-method'));
  if (ev) {
    items.push(...row('Receiving BS', bsLabel(ev.receiver), 'receiver'));
    items.push(...row('Total power', `${formatWatts(ev.totalPower)} (${formatDbm(ev.totalPower)})`, 'total-power'));
  }
  if (typeof d.seconds === 'number') items.push(...row('Solve time', formatSeconds(d.seconds), 'solve-time'));
  if (typeof d.lowerBound === 'number') {
    items.push(...row('Lower bound', formatWatts(d.lowerBound), 'lower-bound'));
    if (ev && !shown.stale) {
      const gap = Math.max(0, (ev.totalPower - d.lowerBound) / ev.totalPower);
      items.push(...row('Certified gap', formatPercent(gap), 'gap'));
    }
  }
  const detail = d.detail as Record<string, unknown> | undefined;
  if (typeof detail?.aoIterations === 'number') items.push(...row('AO iterations', String(detail.aoIterations)));
  if (typeof detail?.nodes === 'number') items.push(...row('B&B nodes', String(detail.nodes)));
  if (ev) {
    const ok = ev.crlb !== null && ev.crlb <= ev.crlbMax * (1 + 1e-6);
    const crlb = ev.crlb === null ? '∞ (no position information)' : `${formatSig(ev.crlb)} m²`;
    items.push(...row('CRLB', h('span', { class: ok ? 'ok' : 'bad' }, `${crlb} ${ok ? '≤' : '>'} ε = ${formatSig(ev.crlbMax)} m²`), 'crlb'));
    const e = covarianceEllipse(ev.equivalentFim);
    const eps = epsilonRadius(s.draft.crlbMax);
    items.push(
      ...row(
        'Error ellipse (1σ)',
        e ? `${formatSig(e.a, 3)} × ${formatSig(e.b, 3)} m at ${((e.angle * 180) / Math.PI).toFixed(0)}°; ε circle r = √(ε/2) = ${formatSig(eps, 3)} m` : 'unbounded',
        'ellipse',
      ),
    );
    items.push(...row('Feasible', ev.feasible ? 'yes' : 'no', 'feasible'));
  }
  return h('dl', { class: 'summary' }, ...items);
}

function usersTable(s: AppState, shown: Shown): HTMLElement | null {
  const ev = shown.evaluation;
  if (!ev || ev.sinr.length === 0) return null;
  const rows = ev.sinrDb.map((db, k) => {
    const target = ev.sinrTargetDb[k];
    const margin = ev.sinrMarginDb[k];
    const ok = margin !== null && margin >= -1e-4;
    const tr = h(
      'tr',
      { class: s.selection?.kind === 'user' && s.selection.index === k ? 'selected' : '', 'data-user': k },
      h('th', { scope: 'row' }, userLabel(k)),
      h('td', {}, h('span', { class: 'swatch', style: `background:${bsColor(ev.association[k])}` }), bsLabel(ev.association[k])),
      h('td', { class: 'num' }, formatDb(db)),
      h('td', { class: 'num' }, `${target} dB`),
      h('td', { class: `num ${ok ? 'ok' : 'bad'}` }, margin === null ? '−∞' : signed(margin)),
      h('td', {}, bar(db === null ? 0 : Math.max(0, db + 10) / Math.max(1, target + 10), ok)),
    );
    return tr;
  });
  return h(
    'table',
    { id: 'users-table' },
    h('caption', {}, 'SINR per user against its target'),
    h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Served by'), h('th', {}, 'SINR'), h('th', {}, 'Target'), h('th', {}, 'Margin dB'), h('th', {}, ''))),
    h('tbody', {}, ...rows),
  );
}

function bsTable(shown: Shown): HTMLElement | null {
  const ev = shown.evaluation;
  if (!ev) return null;
  const rows = ev.powerPerBs.map((p, s) => {
    const ok = p <= ev.maxPower * (1 + 1e-6);
    const users = ev.association.filter((x) => x === s).length;
    const role = s === ev.receiver ? 'receives echoes' : users > 0 ? `serves ${users}, senses` : 'senses';
    return h(
      'tr',
      { 'data-bs': s },
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${bsColor(s)}` }), bsLabel(s)),
      h('td', {}, role),
      h('td', { class: 'num' }, formatWatts(p)),
      h('td', { class: 'num' }, formatPercent(p / ev.maxPower)),
      h('td', {}, bar(p / ev.maxPower, ok)),
    );
  });
  return h(
    'table',
    { id: 'bs-table' },
    h('caption', {}, `Power per BS against the budget P = ${formatWatts(ev.maxPower)}`),
    h('thead', {}, h('tr', {}, h('th', {}, 'BS'), h('th', {}, 'Role'), h('th', {}, 'tr(Qs)'), h('th', {}, 'of P'), h('th', {}, ''))),
    h('tbody', {}, ...rows),
  );
}

export function resultsPanel(store: Store<AppState>): { el: HTMLElement; sync(s: AppState, d: Derived): void } {
  const body = h('div', { id: 'result-body' });
  const el = h('section', { class: 'panel results', 'aria-labelledby': 'res-h', 'aria-live': 'polite' }, h('h2', { id: 'res-h' }, 'Result'), body);
  // Clicking a user row selects the user (its per-user fields open in the selection panel).
  body.addEventListener('click', (e) => {
    const tr = (e.target as Element).closest('tr[data-user]');
    if (tr) store.update({ selection: { kind: 'user', index: Number(tr.getAttribute('data-user')) } });
  });
  let last: unknown[] = [];
  return {
    el,
    sync(s, d) {
      const key = [d.shown, d.scenarioError, s.selection, s.solving === null];
      if (key.every((k, i) => k === last[i])) return;
      last = key;
      if (d.scenarioError) {
        setChildren(body, h('p', { class: 'field-error', id: 'scenario-invalid' }, `The scenario is invalid: ${d.scenarioError}`));
        return;
      }
      const shown = d.shown;
      if (!shown) {
        setChildren(body, h('p', { class: 'hint' }, s.solving ? 'Solving…' : 'No design yet: press Solve (or import a design for this scenario).'));
        return;
      }
      const d0 = shown.entry.design;
      setChildren(
        body,
        shown.entry.origin === 'file' ? h('p', { class: 'hint' }, `Design imported from ${shown.entry.fileName}.`) : null,
        shown.stale
          ? h('p', { class: 'stale-note', id: 'stale-note' }, 'The scenario changed since this design was made: the numbers evaluate the old design on the edited scenario. Solve again to update.')
          : null,
        typeof d0.message === 'string' ? h('p', { class: 'note', id: 'design-message' }, d0.message) : null,
        shown.problem && shown.problem !== d0.message ? h('p', { class: 'field-error' }, shown.problem) : null,
        summary(s, shown),
        shown.evaluation && shown.evaluation.violations.length > 0
          ? h('ul', { class: 'violations', id: 'violations' }, ...shown.evaluation.violations.map((v) => h('li', {}, v)))
          : null,
        usersTable(s, shown),
        bsTable(shown),
      );
    },
  };
}

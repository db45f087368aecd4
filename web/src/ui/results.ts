/**
 * The result panel: a one-line verdict, status, receiving BS, total power, solve time,
 * exact's bound and certified gap, CRLB against epsilon (with the error ellipse's axes), the
 * violated requirements named like the tables (U2, BS3), per-user SINR against the target and
 * per-BS power against the budget. Every number comes from re-evaluating the design with the
 * model (as `netisac evaluate` does), not from what the solver or the file claims; a stale
 * result says so in its badge, so the badge never contradicts the numbers below it.
 */
import { FEASIBILITY_TOL, type Evaluation } from '../../../src/model/evaluate.ts';
import { trace } from '../../../src/linalg/complex.ts';
import type { Derived, Shown } from '../app/derived.ts';
import type { AppState } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { bsLabel, formatDb, formatDbm, formatPercent, formatSeconds, formatSig, formatWatts, significantPower, userLabel } from '../format.ts';
import { covarianceEllipse, epsilonRadius } from '../map/ellipse.ts';
import { bsColor } from '../map/palette.ts';
import { h, setChildren } from './dom.ts';

/** "+0.00" rather than "-0.00" for a margin that rounds to zero. */
function signed(x: number): string {
  const s = x.toFixed(2);
  return Number(s) === 0 ? '+0.00' : x > 0 ? `+${s}` : s;
}

function bar(fraction: number, ok: boolean): HTMLElement {
  const w = Math.max(0, Math.min(1, fraction));
  return h('span', { class: `bar${ok ? '' : ' over'}`, 'aria-hidden': 'true' }, h('span', { style: `width:${(100 * w).toFixed(1)}%` }));
}

function row(label: string, value: Node | string, id?: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', { id }, value)];
}

/** The badge: the solver's status when current; otherwise what the evaluation says. */
export function verdict(shown: Shown): { text: string; cls: string } {
  const d = shown.entry.design;
  const ev = shown.evaluation;
  if (!ev) return { text: String(d.status ?? 'no design'), cls: String(d.status ?? 'failed') };
  if (shown.stale) return ev.feasible ? { text: 'stale · still feasible', cls: 'stale' } : { text: 'stale · violates requirements', cls: 'stale bad' };
  if (!ev.feasible) return { text: 'violates requirements', cls: 'infeasible' };
  const st = d.status === 'optimal' ? 'optimal' : 'feasible';
  return { text: st, cls: st };
}

/** The violated requirements, named like the tables (U2, BS3) and computed from the evaluation. */
export function violationTexts(ev: Evaluation, sinrTargets: number[]): string[] {
  const out: string[] = [];
  ev.sinr.forEach((g, k) => {
    const target = 10 ** (sinrTargets[k]! / 10);
    if (!(g >= target * (1 - FEASIBILITY_TOL))) out.push(`${userLabel(k)}: SINR ${formatDb(ev.sinrDb[k]!)} below its target ${sinrTargets[k]} dB`);
  });
  const T = ev.targets.length;
  ev.targets.forEach((te, t) => {
    const crlb = te.crlb ?? Infinity;
    if (crlb <= te.crlbMax * (1 + FEASIBILITY_TOL)) return;
    const who = T === 1 ? '' : `T${t + 1}: `;
    out.push(`${who}CRLB ${Number.isFinite(crlb) ? `${formatSig(crlb)} m²` : '∞'} above ε = ${formatSig(te.crlbMax)} m²`);
  });
  ev.powerPerBs.forEach((p, s) => {
    if (!(p <= ev.maxPower * (1 + FEASIBILITY_TOL))) out.push(`${bsLabel(s)}: power ${formatWatts(p)} above the budget ${formatWatts(ev.maxPower)}`);
  });
  return out;
}

/** "receives echoes", "serves 2 · sensing beam", "sensing beam only", "idle (no power)". */
export function bsRole(shown: Shown, s: number): string {
  const ev = shown.evaluation!;
  if (s === ev.receiver) return 'receives echoes';
  const users = ev.association.filter((x) => x === s).length;
  const sensingW = shown.sensing ? trace(shown.sensing[s]!)[0] : 0;
  const parts: string[] = [];
  if (users > 0) parts.push(`serves ${users}`);
  if (significantPower(sensingW, ev.totalPower)) parts.push(users > 0 ? 'sensing beam' : 'sensing beam only');
  return parts.length > 0 ? parts.join(' · ') : 'idle (no power)';
}

/** exact's lower bound is worth showing only when positive (0 is the trivial bound of a search that has not bounded anything yet). */
function positiveBound(d: Record<string, unknown>): number | null {
  return typeof d.lowerBound === 'number' && d.lowerBound > 0 ? d.lowerBound : null;
}

function summary(shown: Shown): HTMLElement {
  const d = shown.entry.design;
  const ev = shown.evaluation;
  const items: HTMLElement[] = [];
  const v = verdict(shown);
  items.push(...row('Status', h('span', { class: `badge ${v.cls}` }, v.text), 'status'));
  items.push(...row('Method', String(d.method ?? '—'), 'result-method'));
  if (ev) {
    items.push(...row('Receiving BS', bsLabel(ev.receiver), 'receiver'));
    items.push(...row('Total power', `${formatWatts(ev.totalPower)} (${formatDbm(ev.totalPower)})`, 'total-power'));
  }
  if (typeof d.seconds === 'number') {
    const kernels = shown.entry.kernels ? ` (${shown.entry.kernels} kernels)` : '';
    items.push(...row('Solve time', `${formatSeconds(d.seconds)}${kernels}`, 'solve-time'));
  }
  if (d.method === 'exact') {
    const lb = positiveBound(d);
    if (lb !== null) {
      items.push(...row('Lower bound', formatWatts(lb), 'lower-bound'));
      if (ev && !shown.stale) items.push(...row('Certified gap', formatPercent(Math.max(0, (ev.totalPower - lb) / ev.totalPower)), 'gap'));
    } else {
      items.push(...row('Lower bound', 'no bound yet (stopped before the first relaxation finished)', 'lower-bound'));
    }
  }
  const detail = d.detail as Record<string, unknown> | undefined;
  if (typeof detail?.aoIterations === 'number') items.push(...row('AO iterations', String(detail.aoIterations)));
  if (typeof detail?.nodes === 'number') items.push(...row('B&B nodes', String(detail.nodes)));
  if (ev) {
    // One CRLB row per target (ids crlb, crlb-2, ...), each against its own bound.
    const T = ev.targets.length;
    ev.targets.forEach((te, t) => {
      const ok = te.crlb !== null && te.crlb <= te.crlbMax * (1 + FEASIBILITY_TOL);
      const crlb = te.crlb === null ? '∞ (no position information)' : `${formatSig(te.crlb)} m²`;
      const label = T === 1 ? 'CRLB' : `CRLB T${t + 1}`;
      items.push(
        ...row(label, h('span', { class: ok ? 'ok' : 'bad' }, `${crlb} ${ok ? '≤' : '>'} ε = ${formatSig(te.crlbMax)} m²`), t === 0 ? 'crlb' : `crlb-${t + 1}`),
      );
      const e = covarianceEllipse(te.equivalentFim);
      const eps = epsilonRadius(te.crlbMax);
      items.push(
        ...row(
          T === 1 ? 'Error ellipse (1σ)' : `Ellipse T${t + 1} (1σ)`,
          e
            ? `${formatSig(e.a, 3)} × ${formatSig(e.b, 3)} m at ${((e.angle * 180) / Math.PI).toFixed(0)}°; ε circle r = √(ε/2) = ${formatSig(eps, 3)} m`
            : 'unbounded',
          t === 0 ? 'ellipse' : `ellipse-${t + 1}`,
        ),
      );
    });
    items.push(...row('Feasible', ev.feasible ? 'yes' : 'no', 'feasible'));
  }
  return h('dl', { class: 'summary' }, ...items);
}

function usersTable(s: AppState, shown: Shown): HTMLElement | null {
  const ev = shown.evaluation;
  if (!ev || ev.sinr.length === 0) return null;
  const rows = ev.sinrDb.map((db, k) => {
    const target = ev.sinrTargetDb[k];
    const margin = ev.sinrMarginDb[k]!;
    const ok = margin !== null && margin >= -1e-4;
    return h(
      'tr',
      { class: s.selection?.kind === 'user' && s.selection.index === k ? 'selected' : '', 'data-user': k },
      h(
        'th',
        { scope: 'row' },
        h('button', { type: 'button', class: 'link', 'data-select-user': k, 'aria-label': `Select user ${userLabel(k)}` }, userLabel(k)),
      ),
      h('td', {}, h('span', { class: 'swatch', style: `background:${bsColor(ev.association[k]!)}` }), bsLabel(ev.association[k]!)),
      h('td', { class: 'num' }, formatDb(db)),
      h('td', { class: 'num' }, `${target} dB`),
      h('td', { class: `num ${ok ? 'ok' : 'bad'}` }, margin === null ? '−∞' : signed(margin!)),
    );
  });
  return h(
    'table',
    { id: 'users-table' },
    h('caption', {}, 'SINR per user against its target'),
    h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Served by'), h('th', {}, 'SINR'), h('th', {}, 'Target'), h('th', {}, 'Margin dB'))),
    h('tbody', {}, ...rows),
  );
}

function bsTable(shown: Shown): HTMLElement | null {
  const ev = shown.evaluation;
  if (!ev) return null;
  const rows = ev.powerPerBs.map((p, s) => {
    const ok = p <= ev.maxPower * (1 + FEASIBILITY_TOL);
    return h(
      'tr',
      { 'data-bs': s },
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${bsColor(s)}` }), bsLabel(s)),
      h('td', { class: 'role' }, bsRole(shown, s)),
      h('td', { class: 'num', title: `${p} W` }, formatWatts(p)),
      h('td', { class: 'num' }, formatPercent(p / ev.maxPower), ' ', bar(p / ev.maxPower, ok)),
    );
  });
  return h(
    'table',
    { id: 'bs-table' },
    h('caption', {}, `Power per BS against the budget P = ${formatWatts(ev.maxPower)}`),
    h('thead', {}, h('tr', {}, h('th', {}, 'BS'), h('th', {}, 'Role'), h('th', {}, 'tr(Qs)'), h('th', {}, 'of P'))),
    h('tbody', {}, ...rows),
  );
}

/** One sentence for the live region and the small-screen bar: verdict, power, receiver. */
export function summaryLine(s: AppState, d: Derived): string {
  if (s.solving) return `Solving with ${s.solving.method}…`;
  if (d.scenarioError) return 'The scenario is invalid.';
  const shown = d.shown;
  if (!shown) return 'No design yet.';
  const ev = shown.evaluation;
  const v = verdict(shown);
  if (!ev) return `${shown.entry.design.method ?? 'Result'}: ${v.text}.`;
  const bad = ev.feasible ? '' : `, ${violationTexts(ev, ev.sinrTargetDb).length} requirement(s) violated`;
  return `${String(shown.entry.design.method ?? 'Design')}: ${v.text}, ${formatWatts(ev.totalPower)}, receiver ${bsLabel(ev.receiver)}${bad}.`;
}

export function resultsPanel(
  store: Store<AppState>,
  extras: { before?: HTMLElement; after?: HTMLElement } = {},
): {
  el: HTMLElement;
  sync(s: AppState, d: Derived): void;
} {
  const body = h('div', { id: 'result-body' });
  const el = h(
    'section',
    { class: 'panel results', 'aria-labelledby': 'res-h' },
    h('h2', { id: 'res-h' }, 'Result'),
    extras.before ?? null,
    body,
    extras.after ?? null,
  );
  // A user's button in the table selects the user (its own fields open in the editor).
  body.addEventListener('click', (e) => {
    const b = (e.target as Element).closest('[data-select-user]');
    if (b) store.update({ selection: { kind: 'user', index: Number(b.getAttribute('data-select-user')) } });
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
      const ev = shown.evaluation;
      const violations = ev ? violationTexts(ev, ev.sinrTargetDb) : [];
      setChildren(
        body,
        shown.entry.origin === 'file' ? h('p', { class: 'hint' }, `Design imported from ${shown.entry.fileName}.`) : null,
        shown.stale
          ? h(
              'p',
              { class: 'stale-note', id: 'stale-note' },
              'The scenario changed since this design was made: the numbers evaluate the old design on the edited scenario. Solve again to update.',
            )
          : null,
        typeof d0.message === 'string' ? h('p', { class: 'note', id: 'design-message' }, d0.message) : null,
        shown.problem && shown.problem !== d0.message ? h('p', { class: 'field-error' }, shown.problem) : null,
        summary(shown),
        violations.length > 0 ? h('ul', { class: 'violations', id: 'violations' }, ...violations.map((v) => h('li', {}, v))) : null,
        usersTable(s, shown),
        bsTable(shown),
      );
    },
  };
}

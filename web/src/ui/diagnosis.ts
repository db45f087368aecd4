/**
 * "Which requirement to relax": shown under an infeasible result, from the tools worker's
 * probes (diagnose.ts). Each line is one requirement relaxed alone, the others as they are.
 */
import type { AppState } from '../app/state.ts';
import { formatSig } from '../format.ts';
import type { Relaxation, Requirement } from '../tools/diagnose.ts';
import { h, setChildren } from './dom.ts';

const NAMES: Record<Requirement, string> = {
  crlbMax: 'the CRLB bound ε',
  minSinrDb: 'the SINR targets Γ',
  maxPowerDbm: 'the per-BS budget P',
};

export function relaxationText(r: Relaxation): string {
  const v = (x: number) =>
    r.requirement === 'crlbMax' ? `${formatSig(x, 3)} m²` : r.requirement === 'minSinrDb' ? `${formatSig(x, 3)} dB` : `${formatSig(x, 4)} dBm`;
  const rel = r.requirement === 'minSinrDb' ? '≤' : '≥';
  if (r.feasibleAt === null) return `Relaxing ${NAMES[r.requirement]} alone does not help: still infeasible at ${v(r.infeasibleAt)}, the planner's limit.`;
  if (r.requirement === 'minSinrDb') {
    return `Γ ${rel} ${v(r.feasibleAt)} would be feasible (every user's target lowered by ${formatSig(r.current - r.feasibleAt, 3)} dB; now ${v(r.current)} at most; ${v(r.infeasibleAt)} was not).`;
  }
  const what = r.requirement === 'crlbMax' ? 'ε' : 'P';
  return `${what} ${rel} ${v(r.feasibleAt)} would be feasible (now ${v(r.current)}; ${v(r.infeasibleAt)} was not).`;
}

export function diagnosisView(): { el: HTMLElement; sync(s: AppState): void } {
  const el = h('div', { class: 'diagnosis', id: 'diagnosis', hidden: true });
  let last: unknown = null;
  return {
    el,
    sync(s) {
      const dg = s.diagnosis && s.result === s.diagnosis.result && s.result.scenarioVersion === s.version ? s.diagnosis : null;
      if (dg === last) return;
      last = dg;
      el.hidden = dg === null;
      if (!dg) return;
      if (dg.running) {
        setChildren(el, h('p', { class: 'hint', id: 'diagnosis-running' }, `Finding which requirement to relax… (${dg.message})`));
        return;
      }
      const v = dg.value;
      if (!v) {
        setChildren(el, h('p', { class: 'field-error' }, `Could not explain: ${dg.message}`));
        return;
      }
      if (v.feasibleNow) {
        setChildren(el, h('p', { class: 'note' }, 'A second run of proposed found a design for this scenario: solve again.'));
        return;
      }
      const helps = v.relaxations.filter((r) => r.feasibleAt !== null);
      const binding = helps.map((r) => NAMES[r.requirement]);
      setChildren(
        el,
        h('h3', {}, 'What to relax'),
        h(
          'p',
          { id: 'binding' },
          binding.length === 0
            ? 'No single requirement, relaxed alone up to the planner’s limits, makes it feasible: relax several, or change the geometry.'
            : `Binding: ${binding.join(' and ')} conflict with the rest; relaxing any one of them alone is enough.`,
        ),
        h('ul', { id: 'relaxations' }, ...v.relaxations.map((r) => h('li', { 'data-requirement': r.requirement }, relaxationText(r)))),
        h(
          'p',
          { class: 'hint' },
          `${v.probes} probe solves with proposed; a probe that finds a design proves that value feasible, the other bound is where proposed found none.`,
        ),
      );
    },
  };
}

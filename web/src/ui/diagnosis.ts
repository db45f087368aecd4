/**
 * "Which requirement to relax": shown under an infeasible result, from the tools worker's
 * probes (diagnose.ts). Each line is one requirement relaxed alone, the others as they are.
 */
import type { AppState } from '../app/state.ts';
import { bsLabel, formatSig, userLabel } from '../format.ts';
import { summarise, type ReceiverCertificate, type RequirementRef } from '../tools/certificate.ts';
import type { Diagnosis, Relaxation, Requirement } from '../tools/diagnose.ts';
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

const percent = (x: number) => (x < 0.01 ? '< 1 %' : `${Math.round(x * 100)} %`);

/** A requirement of the certificate in the tables' names. */
export function requirementName(r: RequirementRef, targets: number): string {
  if (r.kind === 'crlb') return targets === 1 ? 'the CRLB bound ε' : `T${r.target + 1}'s CRLB bound`;
  if (r.kind === 'power') return `${bsLabel(r.bs)}'s budget`;
  return `${userLabel(r.user)}'s SINR target`;
}

const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** Names grouped by kind: "the CRLB bound ε", "the budgets of BS2, BS3 and BS4", "the SINR targets of U1 and U2". */
function groupedNames(named: { requirement: RequirementRef; share: number }[], targets: number): string[] {
  const out: { text: string; share: number }[] = [];
  const power = named.filter((n) => n.requirement.kind === 'power');
  const sinr = named.filter((n) => n.requirement.kind === 'sinr');
  for (const n of named) if (n.requirement.kind === 'crlb') out.push({ text: requirementName(n.requirement, targets), share: n.share });
  const ids = (ns: typeof named) => ns.map((n) => n.requirement).map((r) => (r.kind === 'power' ? bsLabel(r.bs) : r.kind === 'sinr' ? userLabel(r.user) : ''));
  if (power.length === 1) out.push({ text: requirementName(power[0]!.requirement, targets), share: power[0]!.share });
  else if (power.length > 1) out.push({ text: `the budgets of ${list(ids(power).sort())}`, share: power[0]!.share });
  if (sinr.length === 1) out.push({ text: requirementName(sinr[0]!.requirement, targets), share: sinr[0]!.share });
  else if (sinr.length > 1) out.push({ text: `the SINR targets of ${list(ids(sinr).sort())}`, share: sinr[0]!.share });
  return out.sort((a, b) => b.share - a.share).map((o) => o.text);
}

const KIND_IDLE: Record<'sinr' | 'power' | 'crlb', string> = {
  sinr: 'the SINR targets',
  power: 'the budgets',
  crlb: 'the CRLB bound',
};

/**
 * The headline from the certificates, e.g. "The solver's certificate (every receiver): the CRLB
 * bound ε and the budgets of BS2, BS3 and BS4 conflict; the SINR targets carry almost no weight.
 * ε ≥ 0.00178 m² would be feasible." (the threshold from the probes, when they are done).
 */
export function certificateText(certs: ReceiverCertificate[], targets: number, probes?: Diagnosis): string {
  const sum = summarise(certs);
  // An infeasible `fixed` result has one certificate, of its own receiver and association.
  const choice = certs.length === 1 ? certs[0]!.association : undefined;
  const rx0 = bsLabel(certs[0]?.receiver ?? 0);
  if (sum.certified.length === 0) {
    return choice
      ? `The SDP of this choice (${rx0} receiving) has a point, so the solver gives no certificate.`
      : "The solver found no infeasibility certificate: each receiver's relaxation has a point, so a design may exist that proposed missed (it is a heuristic); try exact.";
  }
  // Each certificate proves that no design with that receiver exists (the relaxation contains them all).
  const who = choice
    ? `proves that no beamforming meets every requirement with ${rx0} receiving and this association (${choice.map((s, k) => `${userLabel(k)}→${bsLabel(s)}`).join(', ')})`
    : sum.uncertified.length === 0
      ? 'proves that no design exists, with any receiver'
      : `proves that no design exists with ${list(sum.certified.map(bsLabel))} receiving (not for ${list(sum.uncertified.map(bsLabel))})`;
  const names = groupedNames(sum.named, targets);
  let text = `The solver's certificate ${who}: ${list(names)} ${names.length === 1 ? 'cannot be met as the rest stands' : 'conflict'}`;
  if (sum.idle.length > 0) text += `; ${list(sum.idle.map((k) => KIND_IDLE[k]))} carry almost no weight (< 0.2 %)`;
  text += '.';
  // The probes ask whether any design exists (proposed picks the association), so their
  // threshold completes the sentence only when the certificate is about every association too.
  const named = new Set(sum.named.map((n) => n.requirement.kind));
  const KIND: Record<Requirement, RequirementRef['kind']> = { crlbMax: 'crlb', maxPowerDbm: 'power', minSinrDb: 'sinr' };
  const fix = choice ? undefined : probes?.relaxations.find((r) => r.feasibleAt !== null && named.has(KIND[r.requirement]));
  if (fix) text += ` ${relaxationText(fix).replace(/ \(.*$/, '')}.`;
  return text;
}

/** One line per receiver: the shares of its certificate, or why it has none. */
export function receiverCertificateText(c: ReceiverCertificate, targets: number): string {
  const rx = `${bsLabel(c.receiver)} receiving${c.association ? ' (this association)' : ''}`;
  if (c.status === 'feasible' && c.association) return `${rx}: the SDP has a point, so no certificate.`;
  if (c.status === 'feasible') return `${rx}: the relaxation has a point, so no certificate (a design with ${bsLabel(c.receiver)} receiving may exist).`;
  if (c.status === 'failed') return `${rx}: the solver stopped without an answer.`;
  return `${rx}: ${c.shares.map((s) => `${requirementName(s.requirement, targets)} ${percent(s.share)}`).join(', ')}.`;
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
      const T = s.draft.targets.length;
      const certs = dg.certificates
        ? [
            h('p', { id: 'certificate-summary' }, certificateText(dg.certificates, T, dg.value)),
            h(
              'details',
              {},
              h('summary', {}, 'Weights of the certificate per receiver'),
              h('ul', { id: 'certificates' }, ...dg.certificates.map((c) => h('li', { 'data-receiver': c.receiver }, receiverCertificateText(c, T)))),
              h(
                'p',
                { class: 'hint' },
                `${dg.certificates[0]?.association ? "The fixed choice's SDP" : 'For each receiving BS, the relaxation over every association'} is infeasible with a Farkas ray, which the solver re-checks on the data. Its weight on a requirement's rows (scaled to right-hand sides of order one) says how much that requirement takes part: one with no weight could be relaxed without breaking the proof.`,
              ),
            ),
          ]
        : [];
      if (dg.running) {
        setChildren(
          el,
          h('h3', {}, 'What to relax'),
          ...certs,
          h('p', { class: 'hint', id: 'diagnosis-running' }, `Finding which requirement to relax… (${dg.message})`),
        );
        return;
      }
      const v = dg.value;
      if (!v) {
        setChildren(el, h('p', { class: 'field-error' }, `Could not explain: ${dg.message}`));
        return;
      }
      if (v.feasibleNow) {
        // The certificate stays: for a fixed choice it is the explanation, and proposed's design
        // only says that another receiver or association works.
        const choice = dg.certificates?.[0]?.association !== undefined;
        setChildren(
          el,
          h('h3', {}, choice ? 'Why this choice fails' : 'What to relax'),
          ...certs,
          h(
            'p',
            { class: 'note', id: 'feasible-now' },
            choice
              ? 'The scenario itself is feasible: proposed, choosing the receiver and association itself, finds a design. Change the choice, or solve with proposed.'
              : 'A second run of proposed found a design for this scenario: solve again.',
          ),
        );
        return;
      }
      const helps = v.relaxations.filter((r) => r.feasibleAt !== null);
      const binding = helps.map((r) => NAMES[r.requirement]);
      setChildren(
        el,
        h('h3', {}, 'What to relax'),
        ...certs,
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

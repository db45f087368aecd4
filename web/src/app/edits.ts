/**
 * Geometry edits of a draft: pure functions returning a new draft, or throwing EditError
 * with a message for the user when the edit would make the scenario invalid.
 */
import type { Draft, DraftUser, XY } from './draft.ts';
import type { NodeRef } from './state.ts';
import { MAX_TARGETS } from './limits.ts';

export class EditError extends Error {}

/** Users and the target must keep this distance from every BS (angles are undefined at a BS). */
export const MIN_BS_DISTANCE = 1;

/** Positions are kept to 0.1 m so exported files read cleanly. */
export function roundPos(p: XY): XY {
  return [Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10];
}

function nearBs(d: Draft, p: XY, except = -1): number {
  return d.baseStations.findIndex((b, s) => s !== except && Math.hypot(b.position[0] - p[0], b.position[1] - p[1]) < MIN_BS_DISTANCE);
}

/** Whether `ref` may sit at `p` (no user/target on a BS, no two BSs on top of each other). */
export function placementProblem(d: Draft, ref: NodeRef, p: XY): string | null {
  if (ref.kind === 'bs') {
    const other = nearBs(d, p, ref.index);
    if (other >= 0) return `too close to BS${other + 1}`;
    const pts = [...d.users.map((u) => u.position), ...d.targets.map((t) => t.position)];
    if (pts.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < MIN_BS_DISTANCE)) return 'too close to a user or the target';
    return null;
  }
  const s = nearBs(d, p);
  return s >= 0 ? `within ${MIN_BS_DISTANCE} m of BS${s + 1}` : null;
}

export function moveNode(d: Draft, ref: NodeRef, to: XY): Draft {
  const p = roundPos(to);
  const problem = placementProblem(d, ref, p);
  if (problem) throw new EditError(`Cannot place it there: ${problem}.`);
  if (ref.kind === 'target') return { ...d, targets: d.targets.map((t, i) => (i === ref.index ? { ...t, position: p } : t)) };
  if (ref.kind === 'user') return { ...d, users: d.users.map((u, k) => (k === ref.index ? { ...u, position: p } : u)) };
  return { ...d, baseStations: d.baseStations.map((b, s) => (s === ref.index ? { ...b, position: p } : b)) };
}

export function addUser(d: Draft, at: XY, template: Omit<DraftUser, 'position'>): Draft {
  const p = roundPos(at);
  const problem = placementProblem(d, { kind: 'user', index: -1 }, p);
  if (problem) throw new EditError(`Cannot add a user there: ${problem}.`);
  return { ...d, users: [...d.users, { ...template, position: p }] };
}

export function addBs(d: Draft, at: XY): Draft {
  const p = roundPos(at);
  const problem = placementProblem(d, { kind: 'bs', index: -1 }, p);
  if (problem) throw new EditError(`Cannot add a BS there: ${problem}.`);
  return { ...d, baseStations: [...d.baseStations, { position: p }] };
}

export function addTarget(d: Draft, at: XY): Draft {
  const p = roundPos(at);
  const problem = placementProblem(d, { kind: 'target', index: -1 }, p);
  if (problem) throw new EditError(`Cannot add a target there: ${problem}.`);
  if (d.targets.length >= MAX_TARGETS) throw new EditError(`At most ${MAX_TARGETS} targets.`);
  return { ...d, targets: [...d.targets, { position: p }] };
}

export function removeNode(d: Draft, ref: NodeRef): Draft {
  if (ref.kind === 'target') {
    if (d.targets.length <= 1) throw new EditError('At least one target is needed (the CRLB constraint is about it); drag it instead.');
    return { ...d, targets: d.targets.filter((_, i) => i !== ref.index) };
  }
  if (ref.kind === 'user') return { ...d, users: d.users.filter((_, k) => k !== ref.index) };
  if (d.baseStations.length <= 2) throw new EditError('At least 2 BSs are needed (one receives, the others transmit).');
  return { ...d, baseStations: d.baseStations.filter((_, s) => s !== ref.index) };
}

export function nodePosition(d: Draft, ref: NodeRef): XY | undefined {
  if (ref.kind === 'target') return d.targets[ref.index]?.position;
  if (ref.kind === 'user') return d.users[ref.index]?.position;
  return d.baseStations[ref.index]?.position;
}

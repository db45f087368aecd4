/**
 * Choosing `fixed`'s receiver and association on the map (mode "Choose fixed"): a click on a
 * BS makes it the receiver; a click on a user picks it, and the next click on a BS assigns
 * it to that BS. Enter or Space on a focused node does the same. Pure state transitions
 * (tested in Node); the map and the keys call them.
 */
import { bsLabel, userLabel } from '../format.ts';
import type { AppState, Mode, NodeRef } from './state.ts';

/** A valid `fixed` choice for this scenario: keeps what fits, repairs what does not. */
export function repairFixed(f: AppState['fixed'], S: number, K: number): AppState['fixed'] {
  const receiver = f.receiver >= 0 && f.receiver < S ? f.receiver : 0;
  const association = Array.from({ length: K }, (_, k) => {
    const a = f.association[k];
    return a !== undefined && a >= 0 && a < S && a !== receiver ? a : receiver === 0 ? 1 : 0;
  });
  return { receiver, association };
}

/** Entering the mode also selects the method `fixed` (what the choice is for). */
export function enterFixedMode(): Partial<AppState> {
  return { mode: 'fixed', method: 'fixed', fixedPending: null, selection: null };
}

/** A mode change: "Choose fixed" also selects the method fixed; leaving it forgets a picked user. */
export function modeChange(mode: Mode): Partial<AppState> {
  return mode === 'fixed' ? enterFixedMode() : { mode, fixedPending: null };
}

/** The state change of a click (or Enter) on a node in "Choose fixed" mode; `message` explains a refusal or the next step. */
export function pickForFixed(s: AppState, ref: NodeRef): Partial<AppState> {
  const S = s.draft.baseStations.length;
  const K = s.draft.users.length;
  const f = repairFixed(s.fixed, S, K);
  const say = (text: string | undefined) => ({ messages: { ...s.messages, edit: text } });
  if (ref.kind === 'target') return { ...say('Targets are not part of the fixed choice: click a BS (receiver) or a user.'), selection: ref };
  if (ref.kind === 'user') {
    const again = s.fixedPending === ref.index;
    return { fixedPending: again ? null : ref.index, selection: ref, ...say(undefined) };
  }
  const bs = ref.index;
  const k = s.fixedPending;
  if (k === null || k >= K) {
    // No user waiting: this BS becomes the receiver (users it served move to another BS).
    return { fixed: repairFixed({ receiver: bs, association: f.association }, S, K), fixedPending: null, selection: ref, ...say(undefined) };
  }
  if (bs === f.receiver) {
    return {
      selection: ref,
      ...say(`${bsLabel(bs)} receives the echoes, so it serves no user: click another BS for ${userLabel(k)}, or make another BS the receiver first.`),
    };
  }
  return { fixed: { ...f, association: f.association.map((a, i) => (i === k ? bs : a)) }, fixedPending: null, selection: ref, ...say(undefined) };
}

/** The hint under the map in this mode: what the next click does. */
export function fixedHint(s: AppState): string {
  const k = s.fixedPending;
  if (k !== null && k < s.draft.users.length) return `${userLabel(k)} picked: click (or Enter on) the BS that should serve it. Escape leaves this mode.`;
  return `Click a BS to make it the receiver; click a user, then a BS, to assign it (Enter on a focused node does the same). Then Solve runs fixed with this choice. Escape or Done leaves.`;
}

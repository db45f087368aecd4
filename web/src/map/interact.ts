/**
 * Pointer and keyboard editing on the map. Modes: move (drag nodes, click selects), add user,
 * add BS, delete. Keys: M/U/B/D switch mode, Delete removes the selection, arrows nudge it
 * (1 m, Shift 10 m), Escape returns to move mode.
 */
import { editScenario } from '../app/actions.ts';
import type { XY } from '../app/draft.ts';
import { addBs, addUser, moveNode, nodePosition, removeNode } from '../app/edits.ts';
import type { AppState, Mode, NodeRef } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { makeTransform } from './transform.ts';

const MODE_KEYS: Record<string, Mode> = { m: 'move', u: 'add-user', b: 'add-bs', d: 'delete' };

function nodeAt(target: EventTarget | null): NodeRef | null {
  const el = target instanceof Element ? target.closest('[data-node]') : null;
  const spec = el?.getAttribute('data-node');
  if (!spec) return null;
  const [kind, index] = spec.split(':');
  return { kind: kind as NodeRef['kind'], index: Number(index) };
}

function worldPoint(root: SVGSVGElement, e: { clientX: number; clientY: number }, R: number): XY {
  const ctm = root.getScreenCTM();
  if (!ctm) return [0, 0];
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
  const w = makeTransform(R).toWorld([p.x, p.y]);
  // Keep nodes on the visible map.
  const clamp = (v: number) => Math.max(-R, Math.min(R, v));
  return [clamp(w[0]), clamp(w[1])];
}

function remove(store: Store<AppState>, ref: NodeRef): void {
  if (editScenario(store, (d) => removeNode(d, ref), 'geometry')) store.update({ selection: null });
}

export function attachMapInteraction(root: SVGSVGElement, store: Store<AppState>): void {
  let drag: { ref: NodeRef; pointerId: number; offset: XY } | null = null;

  root.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    // Take keyboard focus from a field, so the shortcut keys act on the map right away.
    root.focus({ preventScroll: true });
    const st = store.state;
    const ref = nodeAt(e.target);
    const at = worldPoint(root, e, st.viewRadius);
    if (st.mode === 'delete') {
      if (ref) remove(store, ref);
      return;
    }
    if (ref) {
      // Any mode but delete: a node under the pointer is selected and can be dragged.
      const pos = nodePosition(st.draft, ref) ?? at;
      drag = { ref, pointerId: e.pointerId, offset: [pos[0] - at[0], pos[1] - at[1]] };
      root.setPointerCapture(e.pointerId);
      root.classList.add('dragging');
      store.update({ selection: ref, dragging: true });
      e.preventDefault();
      return;
    }
    if (st.mode === 'add-user') {
      if (editScenario(store, (d) => addUser(d, at, st.userDefaults), 'geometry')) {
        store.update((s) => ({ selection: { kind: 'user', index: s.draft.users.length - 1 } }));
      }
    } else if (st.mode === 'add-bs') {
      if (editScenario(store, (d) => addBs(d, at), 'geometry')) {
        store.update((s) => ({ selection: { kind: 'bs', index: s.draft.baseStations.length - 1 } }));
      }
    } else {
      store.update({ selection: null });
    }
  });

  root.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const at = worldPoint(root, e, store.state.viewRadius);
    const { ref, offset } = drag;
    const to: XY = [at[0] + offset[0], at[1] + offset[1]];
    const from = nodePosition(store.state.draft, ref);
    if (from && Math.abs(from[0] - to[0]) < 0.05 && Math.abs(from[1] - to[1]) < 0.05) return;
    editScenario(store, (d) => moveNode(d, ref, to), 'geometry');
  });

  const end = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    drag = null;
    root.classList.remove('dragging');
    store.update({ dragging: false });
    if (root.hasPointerCapture(e.pointerId)) root.releasePointerCapture(e.pointerId);
  };
  root.addEventListener('pointerup', end);
  root.addEventListener('pointercancel', end);

  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const st = store.state;
    const mode = MODE_KEYS[e.key.toLowerCase()];
    if (mode) {
      store.update({ mode });
      return;
    }
    if (e.key === 'Escape') {
      store.update({ mode: 'move', selection: null });
      return;
    }
    const sel = st.selection;
    if (!sel) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      remove(store, sel);
      e.preventDefault();
      return;
    }
    const step = e.shiftKey ? 10 : 1;
    const delta: Record<string, XY> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const dv = delta[e.key];
    const pos = nodePosition(st.draft, sel);
    if (dv && pos) {
      editScenario(store, (d) => moveNode(d, sel, [pos[0] + dv[0], pos[1] + dv[1]]), 'geometry');
      e.preventDefault();
    }
  });
}

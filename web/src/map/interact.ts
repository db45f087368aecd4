/**
 * Pointer and keyboard editing on the map. Modes: move (drag nodes, click selects, drag on
 * empty space pans), add user, add BS, delete. The wheel and a two-finger pinch zoom around
 * the pointer. Keys (when the map or a node has focus, never in a field or on a button):
 * M/U/B/T/D/A switch mode, Delete/Backspace removes the selection, arrows move it (1 m, Shift
 * 10 m), [ and ] select the previous/next node, +/- zoom, F fits, Escape returns to move mode,
 * Enter or Space on a node picks it in "Choose fixed" (A: a BS becomes fixed's receiver, a
 * user and then a BS an assignment);
 * Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo anywhere outside a text field.
 */
import { editScenario, travel } from '../app/actions.ts';
import type { XY } from '../app/draft.ts';
import { addBs, addTarget, addUser, moveNode, nodePosition, removeNode } from '../app/edits.ts';
import { modeChange, pickForFixed } from '../app/fixed-pick.ts';
import { fitView, VIEW_LIMITS, type AppState, type Mode, type NodeRef } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { makeTransform, zoomAt, type View } from './transform.ts';

const MODE_KEYS: Record<string, Mode> = { m: 'move', u: 'add-user', b: 'add-bs', t: 'add-target', d: 'delete', a: 'fixed' };

export function nodeAt(target: EventTarget | null): NodeRef | null {
  const el = target instanceof Element ? target.closest('[data-node]') : null;
  const spec = el?.getAttribute('data-node');
  if (!spec) return null;
  const [kind, index] = spec.split(':');
  return { kind: kind as NodeRef['kind'], index: Number(index) };
}

/** SVG user coordinates of a client point. */
function svgPoint(root: SVGSVGElement, e: { clientX: number; clientY: number }): XY {
  const ctm = root.getScreenCTM();
  if (!ctm) return [0, 0];
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
  return [p.x, p.y];
}

export function worldAt(root: SVGSVGElement, e: { clientX: number; clientY: number }, view: View): XY {
  return makeTransform(view).toWorld(svgPoint(root, e));
}

/** Keeps a dragged node on the visible map. */
function clampToView(p: XY, v: View): XY {
  const c = (x: number, m: number) => Math.max(m - v.R, Math.min(m + v.R, x));
  return [c(p[0], v.cx), c(p[1], v.cy)];
}

/** Every node in map order: BSs, users, the target (for [ and ] and the Tab order). */
export function allNodes(st: AppState): NodeRef[] {
  return [
    ...st.draft.baseStations.map((_, index) => ({ kind: 'bs' as const, index })),
    ...st.draft.users.map((_, index) => ({ kind: 'user' as const, index })),
    ...st.draft.targets.map((_, index) => ({ kind: 'target' as const, index })),
  ];
}

function remove(store: Store<AppState>, ref: NodeRef): void {
  if (editScenario(store, (d) => removeNode(d, ref), 'geometry')) store.update({ selection: null });
}

function isTextField(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

export function attachMapInteraction(root: SVGSVGElement, store: Store<AppState>): void {
  let drag: { ref: NodeRef; pointerId: number; offset: XY; moved: boolean } | null = null;
  let pan: { pointerId: number; start: XY; view: View; moved: boolean } | null = null;
  const touches = new Map<number, XY>();
  let pinch: { dist: number; view: View } | null = null;

  const setView = (view: View) => store.update({ view });

  root.addEventListener('pointerdown', (e) => {
    if (e.pointerType === 'touch') touches.set(e.pointerId, [e.clientX, e.clientY]);
    if (touches.size === 2) {
      // A second finger: pinch zoom instead of whatever the first one started.
      const [a, b] = [...touches.values()];
      pinch = { dist: Math.hypot(a![0] - b![0], a![1] - b![1]), view: store.state.view };
      drag = null;
      pan = null;
      return;
    }
    if (e.button !== 0) return;
    const st = store.state;
    const ref = nodeAt(e.target);
    const at = worldAt(root, e, st.view);
    // Keyboard focus moves to the map (the redraw hands it on to the selected node), so the
    // shortcut keys act on it rather than on the last clicked button.
    root.focus({ preventScroll: true });
    if (st.mode === 'delete') {
      if (ref) remove(store, ref);
      return;
    }
    if (st.mode === 'fixed' && ref) {
      // Choosing fixed's receiver and association: a click picks, nothing moves.
      store.update((s) => pickForFixed(s, ref));
      e.preventDefault();
      return;
    }
    if (ref) {
      // Any mode but delete: a node under the pointer is selected and can be dragged.
      const pos = nodePosition(st.draft, ref) ?? at;
      drag = { ref, pointerId: e.pointerId, offset: [pos[0] - at[0], pos[1] - at[1]], moved: false };
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
    } else if (st.mode === 'add-target') {
      if (editScenario(store, (d) => addTarget(d, at), 'geometry')) {
        store.update((s) => ({ selection: { kind: 'target', index: s.draft.targets.length - 1 } }));
      }
    } else if (st.mode === 'add-bs') {
      if (editScenario(store, (d) => addBs(d, at), 'geometry')) {
        store.update((s) => ({ selection: { kind: 'bs', index: s.draft.baseStations.length - 1 } }));
      }
    } else {
      pan = { pointerId: e.pointerId, start: svgPoint(root, e), view: st.view, moved: false };
      root.setPointerCapture(e.pointerId);
    }
  });

  root.addEventListener('pointermove', (e) => {
    if (touches.has(e.pointerId)) touches.set(e.pointerId, [e.clientX, e.clientY]);
    if (pinch && touches.size === 2) {
      const [a, b] = [...touches.values()];
      const mid = { clientX: (a![0] + b![0]) / 2, clientY: (a![1] + b![1]) / 2 };
      const factor = Math.hypot(a![0] - b![0], a![1] - b![1]) / pinch.dist;
      setView(zoomAt(pinch.view, worldAt(root, mid, pinch.view), factor, VIEW_LIMITS));
      return;
    }
    if (pan && e.pointerId === pan.pointerId) {
      const p = svgPoint(root, e);
      const k = makeTransform(pan.view).k;
      const dx = (p[0] - pan.start[0]) / k;
      const dy = (p[1] - pan.start[1]) / k;
      if (!pan.moved && Math.hypot(dx * k, dy * k) < 4) return;
      pan.moved = true;
      root.classList.add('panning');
      setView({ ...pan.view, cx: pan.view.cx - dx, cy: pan.view.cy + dy });
      return;
    }
    if (!drag || e.pointerId !== drag.pointerId) return;
    const view = store.state.view;
    const at = worldAt(root, e, view);
    const { ref, offset } = drag;
    const to = clampToView([at[0] + offset[0], at[1] + offset[1]], view);
    const from = nodePosition(store.state.draft, ref);
    if (from && Math.abs(from[0] - to[0]) < 0.05 && Math.abs(from[1] - to[1]) < 0.05) return;
    // One undo step per drag: the first move pushes, the rest fold into it.
    if (editScenario(store, (d) => moveNode(d, ref, to), 'geometry', { history: drag.moved ? 'merge' : 'push' })) drag.moved = true;
  });

  const end = (e: PointerEvent) => {
    touches.delete(e.pointerId);
    if (touches.size < 2) pinch = null;
    if (pan && e.pointerId === pan.pointerId) {
      // A click (no movement) on empty space clears the selection.
      if (!pan.moved) store.update({ selection: null });
      pan = null;
      root.classList.remove('panning');
    }
    if (!drag || e.pointerId !== drag.pointerId) return;
    drag = null;
    root.classList.remove('dragging');
    store.update({ dragging: false });
    if (root.hasPointerCapture(e.pointerId)) root.releasePointerCapture(e.pointerId);
  };
  root.addEventListener('pointerup', end);
  root.addEventListener('pointercancel', end);

  root.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const view = store.state.view;
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      setView(zoomAt(view, worldAt(root, e, view), factor, VIEW_LIMITS));
    },
    { passive: false },
  );

  // A node that gets keyboard focus (Tab) becomes the selection.
  root.addEventListener('focusin', (e) => {
    const ref = nodeAt(e.target);
    const sel = store.state.selection;
    if (ref && !(sel && sel.kind === ref.kind && sel.index === ref.index)) store.update({ selection: ref });
  });

  document.addEventListener('keydown', (e) => {
    if (isTextField(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
      travel(store, e.key === 'y' || e.shiftKey ? 'redo' : 'undo');
      e.preventDefault();
      return;
    }
    // The map keys act only while the map (or one of its nodes) has focus, or nothing does:
    // Backspace on a focused button must not delete a node.
    const t = e.target as Element | null;
    const onMap = !t || t === document.body || root.contains(t);
    if (!onMap || mod || e.altKey) return;
    if (mapKey(e, store)) e.preventDefault();
  });
}

/** Handles one map key; true when it was used. */
function mapKey(e: KeyboardEvent, store: Store<AppState>): boolean {
  const st = store.state;
  const mode = MODE_KEYS[e.key.toLowerCase()];
  if (mode) {
    store.update(modeChange(mode));
    return true;
  }
  if (e.key === 'Escape') {
    store.update({ mode: 'move', selection: null, fixedPending: null });
    return true;
  }
  if (st.mode === 'fixed' && st.selection && (e.key === 'Enter' || e.key === ' ')) {
    // The keyboard's click in "Choose fixed": on the focused (selected) node.
    const sel = st.selection;
    store.update((s) => pickForFixed(s, sel));
    return true;
  }
  if (e.key === '+' || e.key === '=' || e.key === '-') {
    const v = st.view;
    store.update({ view: zoomAt(v, [v.cx, v.cy], e.key === '-' ? 1 / 1.25 : 1.25, VIEW_LIMITS) });
    return true;
  }
  if (e.key === 'f' || e.key === 'F') {
    store.update({ view: fitView(st.draft, st.radius) });
    return true;
  }
  if (e.key === '[' || e.key === ']') {
    const nodes = allNodes(st);
    const i = st.selection ? nodes.findIndex((n) => n.kind === st.selection!.kind && n.index === st.selection!.index) : -1;
    const next = nodes[(i + (e.key === ']' ? 1 : nodes.length - 1 + (i < 0 ? 1 : 0))) % nodes.length];
    store.update({ selection: next! });
    return true;
  }
  const sel = st.selection;
  if (!sel) return false;
  if (e.key === 'Delete' || e.key === 'Backspace') {
    remove(store, sel);
    return true;
  }
  const step = e.shiftKey ? 10 : 1;
  const delta: Record<string, XY> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  const dv = delta[e.key];
  const pos = nodePosition(st.draft, sel);
  if (!dv || !pos) return false;
  editScenario(store, (d) => moveNode(d, sel, [pos[0] + dv[0], pos[1] + dv[1]]), 'geometry');
  return true;
}

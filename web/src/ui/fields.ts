/**
 * A validated number input: the message appears next to the field while the typed text is
 * invalid, and only valid values reach the state (applied on change: Enter or leaving the field).
 */
import type { AppState } from '../app/state.ts';
import { h } from './dom.ts';

export interface NumberFieldSpec {
  id: string;
  label: string;
  unit?: string;
  title?: string;
  integer?: boolean;
  min?: number;
  max?: number;
  /** min is exclusive (e.g. epsilon > 0). */
  above?: boolean;
  /** Empty input means "unset" (passed as undefined). */
  optional?: boolean;
  emptyText?: string;
  /** Instead of refusing values outside [lo, hi], clamp them there and say so (typed coordinates). */
  clampTo?: [number, number];
  get(s: AppState): number | undefined;
  set(v: number | undefined): void;
}

export interface Field {
  el: HTMLElement;
  sync(s: AppState): void;
}

/**
 * Fields whose text is invalid right now (id -> "label: reason"). Solve and Export consult it
 * through the state (`fieldErrors`), so nothing runs with a value the user cannot see.
 */
const invalid = new Map<string, string>();
let onInvalidChange: (errors: Record<string, string>) => void = () => {};

export function watchFieldErrors(fn: (errors: Record<string, string>) => void): void {
  onInvalidChange = fn;
}

function report(id: string, text: string | null): void {
  if ((invalid.get(id) ?? null) === text) return;
  if (text === null) invalid.delete(id);
  else invalid.set(id, text);
  onInvalidChange(Object.fromEntries(invalid));
}

/** Why `text` is not acceptable for `spec`, or null. */
export function validateNumber(spec: NumberFieldSpec, text: string): string | null {
  const t = text.trim();
  if (t === '') return spec.optional ? null : 'required';
  const v = Number(t);
  if (!Number.isFinite(v)) return `"${t}" is not a number`;
  if (spec.integer && !Number.isInteger(v)) return 'must be a whole number';
  const lo = spec.min;
  const hi = spec.max;
  const tooLow = lo !== undefined && (spec.above ? v <= lo : v < lo);
  if (tooLow || (hi !== undefined && v > hi)) {
    const range =
      lo !== undefined && hi !== undefined && !spec.above
        ? `between ${lo} and ${hi}`
        : [lo !== undefined ? `${spec.above ? '>' : '≥'} ${lo}` : '', hi !== undefined ? `≤ ${hi}` : ''].filter(Boolean).join(' and ');
    return `must be ${range}${spec.unit ? ` ${spec.unit}` : ''}`;
  }
  return null;
}

function shown(v: number | undefined): string {
  return v === undefined ? '' : String(Number(v.toPrecision(12)));
}

export function numberField(spec: NumberFieldSpec): Field {
  const input = h('input', {
    id: spec.id,
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: spec.emptyText,
    'aria-describedby': `${spec.id}-error`,
  });
  const error = h('div', { class: 'field-error', id: `${spec.id}-error`, role: 'alert', 'aria-live': 'polite' });
  const el = h(
    'div',
    { class: 'field', title: spec.title },
    h('label', { for: spec.id }, spec.label),
    h('div', { class: 'field-input' }, input, spec.unit ? h('span', { class: 'unit' }, spec.unit) : null),
    error,
  );
  let applied: number | undefined;
  let seen: unknown[] | null = null;
  const rule = spec.clampTo ? { ...spec, min: undefined, max: undefined } : spec;

  const check = (): string | null => {
    const msg = validateNumber(rule, input.value);
    error.textContent = msg ?? '';
    error.classList.remove('note');
    input.toggleAttribute('aria-invalid', msg !== null);
    el.classList.toggle('invalid', msg !== null);
    report(spec.id, msg === null ? null : `${spec.label}: ${msg}`);
    return msg;
  };
  const restore = () => {
    input.value = shown(applied);
    check();
  };
  input.addEventListener('input', check);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') restore();
  });
  input.addEventListener('change', () => {
    if (check() !== null) return;
    const t = input.value.trim();
    let v = t === '' ? undefined : Number(t);
    let note = '';
    if (v !== undefined && spec.clampTo) {
      const [lo, hi] = spec.clampTo;
      const c = Math.max(lo, Math.min(hi, v));
      if (c !== v) note = `Clamped to ${c} ${spec.unit ?? ''} (the map's limit is ±${hi}).`;
      v = c;
      input.value = shown(v);
    }
    if (v !== applied) {
      applied = v;
      // The state will come back with this value: not a change from elsewhere.
      if (seen) seen = [v, seen[1], seen[2]];
      spec.set(v);
    }
    error.textContent = note;
    error.classList.toggle('note', note !== '');
  });

  return {
    el,
    sync(s) {
      const v = spec.get(s);
      // Overwrite the text when the state changed elsewhere (import, preset, undo, another
      // node selected): then the field shows the model's value, never stale typing.
      const key = [v, s.fieldEpoch, s.selection];
      if (seen && v === applied && key.every((k, i) => k === seen![i])) return;
      seen = key;
      applied = v;
      input.value = shown(v);
      if (v === undefined && !spec.optional) {
        // No value to edit (e.g. nothing selected): the field is hidden, nothing to report.
        error.textContent = '';
        report(spec.id, null);
        return;
      }
      check();
    },
  };
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

export function selectField<T extends string>(spec: { id: string; label: string; options: SelectOption<T>[]; get(s: AppState): T; set(v: T): void }): Field {
  const select = h('select', { id: spec.id }, ...spec.options.map((o) => h('option', { value: o.value }, o.label)));
  select.addEventListener('change', () => spec.set(select.value as T));
  return {
    el: h('div', { class: 'field wide' }, h('label', { for: spec.id }, spec.label), h('div', { class: 'field-input' }, select)),
    sync(s) {
      const v = spec.get(s);
      if (select.value !== v) select.value = v;
    },
  };
}

export function checkboxField(spec: { id: string; label: string; title?: string; get(s: AppState): boolean; set(v: boolean): void }): Field {
  const box = h('input', { id: spec.id, type: 'checkbox' });
  box.addEventListener('change', () => spec.set(box.checked));
  return {
    el: h('div', { class: 'field checkbox', title: spec.title }, box, h('label', { for: spec.id }, spec.label)),
    sync(s) {
      box.checked = spec.get(s);
    },
  };
}

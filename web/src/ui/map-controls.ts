/**
 * Controls and read-outs around the map: undo/redo, zoom and fit, the beam and coverage
 * layers, the cursor's coordinates, hover tooltips and the legend's magnitude scales (beam
 * lobe length, heat-map colours).
 */
import { travel } from '../app/actions.ts';
import type { Derived } from '../app/derived.ts';
import { fitView, VIEW_LIMITS, type AppState, type NodeRef } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { bsLabel, formatDb, formatSig, formatWatts, userLabel } from '../format.ts';
import { nodeAt, worldAt } from '../map/interact.ts';
import { heatRange, heatTicks } from '../map/heat-scale.ts';
import { rampCss, SINR_COLORS, type SinrClass } from '../map/palette.ts';
import { beamPeaks, LOBE_FRACTION } from '../map/render.ts';
import { zoomAt } from '../map/transform.ts';
import { bsRole } from './results.ts';
import { h, setChildren } from './dom.ts';
import { checkboxField, selectField } from './fields.ts';

export function mapControls(store: Store<AppState>): { el: HTMLElement; sync(s: AppState): void } {
  const btn = (id: string, label: string, title: string, fn: () => void) => {
    const b = h('button', { type: 'button', id, title, 'aria-label': title }, label);
    b.addEventListener('click', fn);
    return b;
  };
  const undo = btn('undo', '↶ Undo', 'Undo the last edit (Ctrl+Z)', () => travel(store, 'undo'));
  const redo = btn('redo', '↷ Redo', 'Redo (Ctrl+Shift+Z)', () => travel(store, 'redo'));
  const zoom = (f: number) => () => {
    const v = store.state.view;
    store.update({ view: zoomAt(v, [v.cx, v.cy], f, VIEW_LIMITS) });
  };
  const zin = btn('zoom-in', '+', 'Zoom in (+, or the mouse wheel)', zoom(1.25));
  const zout = btn('zoom-out', '−', 'Zoom out (−)', zoom(1 / 1.25));
  const fit = btn('fit', 'Fit', 'Show the whole scenario (F)', () => store.update((s) => ({ view: fitView(s.draft, s.radius) })));
  const beams = selectField<AppState['beamScale']>({
    id: 'beam-scale',
    label: 'Beams',
    options: [
      { value: 'linear', label: 'linear power' },
      { value: 'db', label: 'dB (30 dB range)' },
      { value: 'off', label: 'hidden' },
    ],
    get: (s) => s.beamScale,
    set: (v) => store.update({ beamScale: v }),
  });
  const layer = selectField<AppState['heatmap']>({
    id: 'heatmap',
    label: 'Coverage',
    options: [
      { value: 'off', label: 'off' },
      { value: 'crlb', label: 'CRLB if the target were here' },
    ],
    get: (s) => s.heatmap,
    set: (v) => store.update({ heatmap: v }),
  });
  const sinr = checkboxField({
    id: 'sinr-layer',
    label: 'SINR at users',
    title: "Each user's achieved SINR against its target: a ring coloured by the margin and a label",
    get: (s) => s.sinrLayer,
    set: (v) => store.update({ sinrLayer: v }),
  });
  const el = h(
    'div',
    { class: 'map-controls', role: 'toolbar', 'aria-label': 'Map view and history' },
    h('div', { class: 'group' }, undo, redo),
    h('div', { class: 'group' }, zout, zin, fit),
    h('div', { class: 'group layers' }, beams.el, layer.el, sinr.el),
  );
  return {
    el,
    sync(s) {
      undo.disabled = s.undo.length === 0;
      redo.disabled = s.redo.length === 0;
      beams.sync(s);
      layer.sync(s);
      sinr.sync(s);
    },
  };
}

/** "x 12.3 m · y −4.5 m" under the pointer, and a tooltip over nodes. */
export function attachReadouts(map: SVGSVGElement, wrap: HTMLElement, store: Store<AppState>, derived: () => Derived): void {
  const coords = h('div', { class: 'coords', id: 'cursor-coords', 'aria-hidden': 'true' });
  const tip = h('div', { class: 'tooltip', id: 'map-tooltip', role: 'tooltip', hidden: true });
  wrap.append(coords, tip);
  const show = (ref: NodeRef, x: number, y: number) => {
    const text = tooltipText(store.state, derived(), ref);
    setChildren(tip, ...text.map((line, i) => h(i === 0 ? 'strong' : 'div', {}, line)));
    tip.hidden = false;
    const r = wrap.getBoundingClientRect();
    const left = Math.min(x - r.left + 14, r.width - tip.offsetWidth - 4);
    const top = y - r.top + 14 + tip.offsetHeight > r.height ? y - r.top - tip.offsetHeight - 10 : y - r.top + 14;
    tip.style.left = `${Math.max(4, left)}px`;
    tip.style.top = `${Math.max(4, top)}px`;
  };
  map.addEventListener('pointermove', (e) => {
    const [x, y] = worldAt(map, e, store.state.view);
    coords.textContent = `x ${x.toFixed(1)} m · y ${y.toFixed(1)} m`;
    const ref = store.state.dragging ? null : nodeAt(e.target);
    if (ref) show(ref, e.clientX, e.clientY);
    else tip.hidden = true;
  });
  map.addEventListener('pointerleave', () => {
    coords.textContent = '';
    tip.hidden = true;
  });
}

/** The tooltip's lines: a user's SINR and the power spent on it, a BS's power and role. */
export function tooltipText(s: AppState, d: Derived, ref: NodeRef): string[] {
  const ev = d.shown?.evaluation ?? null;
  if (ref.kind === 'target') {
    const tg = s.draft.targets[ref.index];
    if (!tg) return [];
    const te = ev?.targets[ref.index];
    const name = s.draft.targets.length === 1 ? 'Target' : `Target T${ref.index + 1}`;
    const crlb = te ? [`CRLB ${te.crlb === null ? '∞' : `${formatSig(te.crlb)} m²`} (ε = ${formatSig(te.crlbMax)} m²)`] : [];
    return [name, `at (${tg.position[0]}, ${tg.position[1]}) m`, ...crlb];
  }
  if (ref.kind === 'user') {
    const u = s.draft.users[ref.index];
    if (!u) return [];
    const lines = [`User ${userLabel(ref.index)}`, `at (${u.position[0]}, ${u.position[1]}) m`, `target ${u.minSinrDb} dB`];
    if (ev && d.shown?.design) {
      const w = d.shown.design.beamformers[ref.index]!;
      let pw = 0;
      for (let i = 0; i < w.length; i++) pw += w[i]! * w[i]!;
      lines.push(`SINR ${formatDb(ev.sinrDb[ref.index]!)} (margin ${ev.sinrMarginDb[ref.index]?.toFixed(2) ?? '−∞'} dB)`);
      lines.push(`served by ${bsLabel(ev.association[ref.index]!)} with ${formatWatts(pw)}`);
    }
    return lines;
  }
  const b = s.draft.baseStations[ref.index];
  if (!b) return [];
  const lines = [`Base station ${bsLabel(ref.index)}`, `at (${b.position[0]}, ${b.position[1]}) m`];
  if (ev && d.shown) lines.push(`power ${formatWatts(ev.powerPerBs[ref.index]!)}`, bsRole(d.shown, ref.index));
  return lines;
}

/** The legend's scales: what the longest lobe stands for, and the heat map's colour bar. */
export function legendScales(): { el: HTMLElement; sync(s: AppState, d: Derived): void } {
  const beam = h('div', { class: 'scale-note', id: 'beam-scale-note' });
  const heat = h('div', { class: 'heat-legend', id: 'heat-legend' });
  const sinr = h('div', { class: 'sinr-legend', id: 'sinr-legend' });
  const el = h('div', { class: 'legend-scales' }, beam, sinr, heat);
  let last: unknown[] = [];
  return {
    el,
    sync(s, d) {
      const key = [d.shown, s.beamScale, s.heat, s.heatmap, s.version, s.sinrLayer];
      if (key.every((k, i) => k === last[i])) return;
      last = key;
      const swatch = (c: SinrClass, text: string) =>
        h('span', { class: `swatch ${c}` }, h('span', { class: 'ring', style: `border-color: ${SINR_COLORS[c]}` }), text);
      setChildren(
        sinr,
        !s.sinrLayer
          ? null
          : d.shown?.evaluation
            ? h(
                'div',
                {},
                'SINR at users (label: achieved / target): ',
                swatch('sinr-ok', 'margin ≥ 1 dB'),
                swatch('sinr-tight', '0 to 1 dB'),
                swatch('sinr-short', 'below target (dashed)'),
              )
            : 'The SINR layer needs a design: solve first.',
      );
      const shown = d.shown;
      if (shown?.comm && s.beamScale !== 'off') {
        const peak = beamPeaks(s, shown);
        beam.textContent =
          `Beam scales: a lobe ${Math.round(LOBE_FRACTION * 100)} % of the view's half-width long stands for ${formatWatts(peak.comm)} (communication, filled) ` +
          (peak.sensing > 0
            ? `and for ${formatWatts(peak.sensing)} (sensing, dashed) `
            : '(no BS spends a significant power on a sensing beam here: the users’ beams illuminate the target) ') +
          'of a(θ)ᴴMa(θ), the largest of each kind over all BSs' +
          (s.beamScale === 'db' ? '; the radius is in dB, 0 at 30 dB below that.' : '; the radius is linear in power.');
      } else beam.textContent = '';
      const layer = s.heatmap === 'crlb' ? s.heat : null;
      if (!layer || !shown || layer.result !== shown.entry || layer.version !== s.version) {
        setChildren(heat, s.heatmap === 'crlb' ? (shown?.evaluation ? 'Computing the CRLB map…' : 'The CRLB map needs a design: solve first.') : '');
        return;
      }
      const { lo, hi } = heatRange(layer.crlb);
      const stops = Array.from({ length: 11 }, (_, i) => `${rampCss(i / 10)} ${i * 10}%`).join(', ');
      const eps = s.draft.crlbMax;
      const epsAt = (Math.log10(eps) - lo) / (hi - lo);
      setChildren(
        heat,
        h('div', {}, 'CRLB (m²) the shown design would give with the target at each point (same beams, radar gains from the path loss there):'),
        h(
          'div',
          {
            class: 'colorbar',
            style: `background: linear-gradient(to right, ${stops})`,
            role: 'img',
            'aria-label': `colour scale from ${formatSig(10 ** lo)} to ${formatSig(10 ** hi)} m²`,
          },
          ...heatTicks(lo, hi).map((k) => h('span', { class: 'tick', style: `left:${(((k - lo) / (hi - lo)) * 100).toFixed(1)}%` }, formatSig(10 ** k, 2))),
          epsAt >= 0 && epsAt <= 1 ? h('span', { class: 'tick eps', style: `left:${(epsAt * 100).toFixed(1)}%` }, 'ε') : null,
        ),
        h('div', { class: 'hint' }, `dark = small CRLB (good sensing); ${formatSig(10 ** lo)} … ${formatSig(10 ** hi)} m² on a log scale.`),
      );
    },
  };
}

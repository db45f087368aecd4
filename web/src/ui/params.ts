/** The parameter panel: scenario-wide values (N, L, budget, noises, SINR target, epsilon, seed, radius). */
import { editScenario } from '../app/actions.ts';
import type { Draft } from '../app/draft.ts';
import { fitView, type AppState } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { LIMITS } from '../app/limits.ts';
import { h } from './dom.ts';
import { numberField, type Field } from './fields.ts';

export function paramsPanel(store: Store<AppState>): { el: HTMLElement; sync(s: AppState): void } {
  const edit = (fn: (d: Draft) => Draft, kind: Parameters<typeof editScenario>[2] = 'params') => editScenario(store, fn, kind);
  const allUsers = (patch: Partial<AppState['userDefaults']>) => {
    store.update((s) => ({ userDefaults: { ...s.userDefaults, ...patch } }));
    edit((d) => ({ ...d, users: d.users.map((u) => ({ ...u, ...patch })) }));
  };
  const fields: Field[] = [
    numberField({
      id: 'p-antennas',
      label: 'Antennas N',
      ...LIMITS.antennas,
      title: 'ULA elements per BS (half-wavelength spacing)',
      get: (s) => s.draft.antennas,
      set: (v) => edit((d) => ({ ...d, antennas: v! }), 'antennas'),
    }),
    numberField({
      id: 'p-samples',
      label: 'Radar samples L',
      ...LIMITS.radarSamples,
      get: (s) => s.draft.radarSamples,
      set: (v) => edit((d) => ({ ...d, radarSamples: v! })),
    }),
    numberField({
      id: 'p-budget',
      label: 'Budget P per BS',
      unit: 'dBm',
      ...LIMITS.maxPowerDbm,
      get: (s) => s.draft.maxPowerDbm,
      set: (v) => edit((d) => ({ ...d, maxPowerDbm: v! })),
    }),
    numberField({
      id: 'p-radar-noise',
      label: 'Radar noise σr²',
      unit: 'dBm',
      ...LIMITS.radarNoisePowerDbm,
      get: (s) => s.draft.radarNoisePowerDbm,
      set: (v) => edit((d) => ({ ...d, radarNoisePowerDbm: v! })),
    }),
    numberField({
      id: 'p-user-noise',
      label: 'User noise σc² (all users)',
      unit: 'dBm',
      ...LIMITS.noisePowerDbm,
      get: (s) => s.userDefaults.noisePowerDbm,
      set: (v) => allUsers({ noisePowerDbm: v! }),
    }),
    numberField({
      id: 'p-sinr',
      label: 'SINR target Γ (all users)',
      unit: 'dB',
      ...LIMITS.minSinrDb,
      title: 'Sets every user; select a user on the map for a per-user target',
      get: (s) => s.userDefaults.minSinrDb,
      set: (v) => allUsers({ minSinrDb: v! }),
    }),
    numberField({
      id: 'p-eps',
      label: 'CRLB bound ε',
      unit: 'm²',
      ...LIMITS.crlbMax,
      get: (s) => s.draft.crlbMax,
      set: (v) => edit((d) => ({ ...d, crlbMax: v! })),
    }),
    numberField({
      id: 'p-seed',
      label: 'Channel seed',
      integer: true,
      min: -(2 ** 53 - 1),
      max: 2 ** 53 - 1,
      title: 'Seed of the channel model (and of random drops and scheme2)',
      get: (s) => s.draft.channelModel.seed,
      set: (v) => edit((d) => ({ ...d, channelModel: { ...d.channelModel, seed: v! } }), 'seed'),
    }),
    numberField({
      id: 'p-radius',
      label: 'Service area radius',
      unit: 'm',
      ...LIMITS.radius,
      get: (s) => s.radius,
      set: (v) => store.update((s) => ({ radius: v!, view: fitView(s.draft, v!) })),
    }),
  ];
  const mixed = h('p', { class: 'hint', hidden: true }, 'Users have different SINR targets or noises: select a user to see its own.');
  const el = h('section', { class: 'panel', 'aria-labelledby': 'params-h' }, h('h2', { id: 'params-h' }, 'Parameters'), ...fields.map((f) => f.el), mixed);
  return {
    el,
    sync(s) {
      for (const f of fields) f.sync(s);
      const u0 = s.draft.users[0];
      mixed.hidden = !s.draft.users.some((u) => u.minSinrDb !== u0.minSinrDb || u.noisePowerDbm !== u0.noisePowerDbm);
    },
  };
}

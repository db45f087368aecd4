/**
 * The paper's Monte Carlo study (Figs. 3 and 4, Sec. IV) and its quick variant, as study
 * JSON. `studies/paper-fig3.json` and `studies/quick.json` hold the same (a test keeps them
 * in sync), so `netisac figures` needs no file.
 */
import type { StudyInput } from './schema.ts';

/**
 * Gamma_req 0..25 dB step 2.5, 100 trials, every method (both Algorithm 1 variants, exact,
 * Schemes 1-3), epsilon = 1, Table I, K = 5, N = 8, R = 150 m.
 */
export const PAPER_FIG3_STUDY: StudyInput = {
  version: 1,
  name: 'paper-fig3',
  description:
    'Figs. 3 and 4 of the paper: average total power and infeasibility rate vs the minimum SINR requirement, ' +
    "epsilon = 1 m^2, the paper's 4-BS layout, K = 5 users and the target uniform in a 150 m disc, Table I parameters; " +
    'Algorithm 1 from its neutral start and from the relaxation start, the certified optimum and Schemes 1-3.',
  scenario: {
    layout: 'paper',
    users: 5,
    radius: 150,
    antennas: 8,
    radarSamples: 1024,
    maxPowerDbm: 45,
    radarNoisePowerDbm: -65,
    noisePowerDbm: -85,
    crlbMax: 1,
    // The model's defaults, spelled out (the paper gives neither; see the README).
    channelModel: { pathLossDbAt1m: -50, commPathLossExponent: 3, radarGainDbAt1m: -30, radarPathLossExponent: 2 },
  },
  sweep: { minSinrDb: { from: 0, to: 25, step: 2.5 } },
  trials: 100,
  methods: ['proposed', 'proposed-relaxation', 'exact', 'scheme1', 'scheme2', 'scheme3'],
  seed: 20240501,
  seedMode: 'common',
  timeLimit: { exact: 600 },
  historyTrials: 3,
  quick: { trials: 4, points: [0, 6, 10], timeLimit: { exact: 30 } },
};

/** The quick variant as its own study: 3 points (0, 10, 20 dB), 3 trials. */
export const QUICK_STUDY: StudyInput = {
  ...PAPER_FIG3_STUDY,
  name: 'quick',
  description: 'A smoke-test-sized version of paper-fig3: Gamma_req 0, 10, 20 dB, 3 trials per point, every method.',
  sweep: { minSinrDb: [0, 10, 20] },
  trials: 3,
  timeLimit: { exact: 60 },
  historyTrials: 3,
  quick: { trials: 1, points: [0, 2], timeLimit: { exact: 30 } },
};

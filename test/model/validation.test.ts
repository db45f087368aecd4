import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { loadScenario } from '../../src/model/load-scenario.ts';
import { parseDesign, isotropicDesign, designToJson } from '../../src/model/design.ts';
import { loadDesign } from '../../src/model/load-design.ts';
import { generateScenario } from '../../src/model/generate.ts';

/** A small valid scenario: S = 3, K = 2, N = 2, explicit channels and radar gains. */
function base(): any {
  return {
    antennas: 2,
    radarSamples: 16,
    maxPowerDbm: 30,
    radarNoisePowerDbm: -65,
    crlbMax: 1,
    baseStations: [{ position: [0, 100] }, { position: [100, 0], arrayAxis: [0, 2] }, { position: [0, -100] }],
    users: [
      { position: [10, 20], minSinrDb: 5, noisePowerDbm: -85 },
      { position: [-30, 5], minSinrDb: 5, noisePowerDbm: -85 },
    ],
    target: { position: [30, 60] },
    channels: [0, 1, 2].map(() =>
      [0, 1].map(() => [
        [1e-4, 0],
        [0, 1e-4],
      ]),
    ),
    radarGains: [0, 1, 2].map(() => [0, 1, 2].map(() => [1e-5, 1e-5])),
  };
}

/** Expects an InputError whose message contains every fragment. */
function rejects(f: () => unknown, ...fragments: (string | RegExp)[]): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an InputError').toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  for (const fr of fragments) {
    if (typeof fr === 'string') expect(msg).toContain(fr);
    else expect(msg).toMatch(fr);
  }
  expect(msg).not.toMatch(/\n\s+at /); // no stack trace in the message
}

function mutate(f: (j: any) => void): any {
  const j = base();
  f(j);
  return j;
}

describe('scenario validation', () => {
  it('accepts the base scenario and normalises the array axis', () => {
    const s = parseScenario(base());
    expect(s.baseStations[1]!.arrayAxis).toEqual([0, 1]);
    expect(s.drawn).toEqual({ channels: false, radarGains: false });
    expect(s.targets[0]!.radarGains[1]![1]).toEqual([0, 0]);
  });

  it('missing and mistyped fields', () => {
    rejects(() => parseScenario(mutate((j) => delete j.antennas)), 'antennas', 'missing');
    rejects(() => parseScenario(mutate((j) => delete j.users[1].minSinrDb)), 'users[1].minSinrDb', 'missing');
    rejects(() => parseScenario(mutate((j) => (j.maxPowerDbm = '45'))), 'maxPowerDbm', 'expected number, received string');
    rejects(() => parseScenario(mutate((j) => (j.users[0].position = [1, 2, 3]))), 'users[0].position');
    rejects(() => parseScenario(mutate((j) => (j.target = [30, 60]))), 'target');
    rejects(() => parseScenario(null), '(top level)');
    rejects(() => parseScenario(mutate((j) => (j.channelModel = { radarPhase: 'fixed' }))), 'channelModel.radarPhase');
  });

  it('non-finite numbers (NaN, Infinity; JSON 1e999 parses to Infinity)', () => {
    rejects(() => parseScenario(mutate((j) => (j.users[1].position[1] = NaN))), 'users[1].position[1]', 'NaN');
    rejects(() => parseScenario(JSON.parse(JSON.stringify(base()).replace('"crlbMax":1', '"crlbMax":1e999'))), 'crlbMax', 'Infinity');
    rejects(() => parseScenario(mutate((j) => (j.channels[2][1][0][1] = -Infinity))), 'channels[2][1][0][1]');
  });

  it('N < 1, L < 1, S < 2, non-positive crlbMax', () => {
    rejects(() => parseScenario(mutate((j) => (j.antennas = 0))), 'antennas', '>= 1');
    rejects(() => parseScenario(mutate((j) => (j.antennas = 2.5))), 'antennas', 'integer');
    rejects(() => parseScenario(mutate((j) => (j.radarSamples = 0))), 'radarSamples', '>= 1');
    rejects(() => parseScenario(mutate((j) => (j.baseStations = [j.baseStations[0]]))), 'baseStations', 'S = 2');
    rejects(() => parseScenario(mutate((j) => (j.crlbMax = 0))), 'crlbMax');
  });

  it('channels not S x K x N, radarGains not S x S', () => {
    rejects(() => parseScenario(mutate((j) => j.channels.pop())), 'channels', 'S = 3');
    rejects(() => parseScenario(mutate((j) => j.channels[1].pop())), 'channels[1]', 'K = 2');
    rejects(() => parseScenario(mutate((j) => j.channels[2][1].push([0, 0]))), 'channels[2][1]', 'N = 2');
    rejects(() => parseScenario(mutate((j) => (j.channels[0][0][1] = [1]))), 'channels[0][0][1]');
    rejects(() => parseScenario(mutate((j) => (j.channels[0][0][1] = 3))), 'channels[0][0][1]', 'complex');
    rejects(() => parseScenario(mutate((j) => j.radarGains.pop())), 'radarGains', 'S x S');
    rejects(() => parseScenario(mutate((j) => j.radarGains[2].pop())), 'radarGains[2]', 'S = 3');
  });

  it('zero arrayAxis; a user or the target at the position of a BS; coincident BSs', () => {
    rejects(() => parseScenario(mutate((j) => (j.baseStations[2].arrayAxis = [0, 0]))), 'baseStations[2].arrayAxis', 'non-zero');
    rejects(() => parseScenario(mutate((j) => (j.users[1].position = [100, 0]))), 'users[1].position', 'base station 1');
    rejects(() => parseScenario(mutate((j) => (j.target.position = [0, -100]))), 'target.position', 'base station 2');
    rejects(() => parseScenario(mutate((j) => (j.baseStations[2].position = [0, 100]))), 'baseStations[2].position', 'base station 0');
  });

  it('names the source file; unreadable file and invalid JSON say so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netisac-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"antennas": 2,');
    rejects(() => loadScenario(bad), 'bad.json', 'invalid JSON');
    rejects(() => loadScenario(join(dir, 'nope.json')), 'nope.json', 'cannot read scenario file', 'no such file');
    mkdirSync(join(dir, 'adir.json'));
    rejects(() => loadScenario(join(dir, 'adir.json')), 'adir.json', 'cannot read');
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify(mutate((j) => (j.users[1].position = ['a', 1]))));
    rejects(() => loadScenario(wrong), 'wrong.json', 'users[1].position[0]');
  });
});

describe('design validation', () => {
  const scn = parseScenario(base());
  const good = () => designToJson(scn, isotropicDesign(scn, 1)) as any;
  const dmut = (f: (d: any) => void) => {
    const d = good();
    f(d);
    return d;
  };

  it('accepts a valid design', () => {
    const d = parseDesign(good(), scn);
    expect(d.receiver).toBe(1);
    expect(d.association.every((s) => s !== 1)).toBe(true);
  });

  it('receiver missing or out of range', () => {
    rejects(
      () =>
        parseDesign(
          dmut((d) => delete d.receiver),
          scn,
        ),
      'receiver',
      'missing',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => ((d.status = 'infeasible'), delete d.receiver)),
          scn,
        ),
      'receiver',
      "status 'infeasible'",
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.receiver = 3)),
          scn,
        ),
      'receiver',
      'out of range',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.receiver = -1)),
          scn,
        ),
      'receiver',
      'out of range',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.status = 'great')),
          scn,
        ),
      'status',
    );
  });

  it('association: length != K, naming the receiver, out of range', () => {
    rejects(
      () =>
        parseDesign(
          dmut((d) => d.association.push(0)),
          scn,
        ),
      'association',
      'K = 2',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.association[1] = 1)),
          scn,
        ),
      'association[1]',
      'receiving BS',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.association[0] = 5)),
          scn,
        ),
      'association[0]',
      'out of range',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.association[0] = 0.5)),
          scn,
        ),
      'association[0]',
      'integer',
    );
  });

  it('beamformers not K x N; sensing covariances not S x N x N', () => {
    rejects(
      () =>
        parseDesign(
          dmut((d) => d.beamformers.pop()),
          scn,
        ),
      'beamformers',
      'K x N',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => d.beamformers[1].push([0, 0])),
          scn,
        ),
      'beamformers[1]',
      'N = 2',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => d.sensingCovariances.pop()),
          scn,
        ),
      'sensingCovariances',
      'S x N x N',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => d.sensingCovariances[2].pop()),
          scn,
        ),
      'sensingCovariances[2]',
      'N x N',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => d.sensingCovariances[0][1].pop()),
          scn,
        ),
      'sensingCovariances[0][1]',
      'N = 2',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.sensingCovariances[0][1][0] = [NaN, 0])),
          scn,
        ),
      'sensingCovariances[0][1][0][0]',
    );
  });

  it('non-Hermitian, non-PSD, non-zero receiver covariance (tolerances relative)', () => {
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.sensingCovariances[0][0][1] = [0.1, 0])),
          scn,
        ),
      'sensingCovariances[0]',
      'not Hermitian',
    );
    rejects(
      () =>
        parseDesign(
          dmut(
            (d) =>
              (d.sensingCovariances[2] = [
                [
                  [1, 0],
                  [2, 0],
                ],
                [
                  [2, 0],
                  [1, 0],
                ],
              ]),
          ),
          scn,
        ),
      'sensingCovariances[2]',
      'not positive semidefinite',
    );
    rejects(
      () =>
        parseDesign(
          dmut((d) => (d.sensingCovariances[1][0][0] = [1e-3, 0])),
          scn,
        ),
      'sensingCovariances[1]',
      'all-zero',
    );
    // Within tolerance: round-off asymmetry and a tiny negative eigenvalue are accepted.
    const ok = dmut((d) => {
      d.sensingCovariances[0][0][1] = [1e-12, 0];
      d.sensingCovariances[2] = [
        [
          [1, 0],
          [1 + 1e-10, 0],
        ],
        [
          [1 + 1e-10, 0],
          [1, 0],
        ],
      ];
    });
    expect(() => parseDesign(ok, scn)).not.toThrow();
  });

  it('loadDesign names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netisac-'));
    const f = join(dir, 'd.json');
    writeFileSync(f, JSON.stringify(dmut((d) => (d.association[0] = 1))));
    rejects(() => loadDesign(f, scn), 'd.json', 'association[0]');
  });
});

describe('generator options', () => {
  it('reject bad options with an InputError', () => {
    rejects(() => generateScenario({ users: 3 }), 'seed');
    rejects(() => generateScenario({ seed: 1 }), 'users');
    rejects(() => generateScenario({ seed: 1, users: -1 }), 'users');
    rejects(() => generateScenario({ seed: 1, users: 2, radius: 0 }), 'radius');
    rejects(() => generateScenario({ seed: 1, users: 2, antennas: 0 }), 'antennas');
    rejects(() => generateScenario({ preset: 'fig2', users: 3 }), 'fig2', 'users');
  });
});

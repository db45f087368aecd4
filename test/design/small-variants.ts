/**
 * examples/small.json and the relaxed versions of it that issue 14's campaign found solved
 * wrongly (channels scaled up, noises down, loose bounds, huge budgets): each one relaxes a
 * requirement, so the base optimum stays feasible. Shared by test/design/certify.test.ts and
 * bench/certify-gaps.ts.
 */
import { readFileSync } from 'node:fs';

export type Json = Record<string, any>;

/** A fresh copy of examples/small.json. */
export function smallJson(): Json {
  return JSON.parse(readFileSync(new URL('../../examples/small.json', import.meta.url), 'utf8'));
}

/** Every channel coefficient times f. */
export const scaleChannels = (f: number) => (j: Json) => {
  j.channels = j.channels.map((bs: number[][][]) => bs.map((u) => u.map(([re, im]) => [re! * f, im! * f])));
};

/** The relaxations by name. */
export const RELAXATIONS: Record<string, (j: Json) => void> = {
  'channels x1e5': scaleChannels(1e5),
  'channels x1e6': scaleChannels(1e6),
  'user noise -175 dBm': (j) => j.users.forEach((u: Json) => (u.noisePowerDbm = -175)),
  'crlbMax 1e9': (j) => (j.crlbMax = 1e9),
  'radar noise -150 dBm': (j) => (j.radarNoisePowerDbm = -150),
  'budget 150 dBm': (j) => (j.maxPowerDbm = 150),
  'budget 200 dBm': (j) => (j.maxPowerDbm = 200),
  'budget 300 dBm': (j) => (j.maxPowerDbm = 300),
};

/**
 * Work is not lost: the scenario, the panel's settings and the last design are kept in
 * localStorage (restored on the next visit), and the scenario can be shared as a URL whose
 * fragment carries it (deflate-compressed, base64url; channels are not included: they are
 * drawn from the channel model and seed on the other side, exactly as here).
 */
import { checkScenario, type Loaded } from './actions.ts';
import { draftToJson } from './draft.ts';
import type { AppState, ResultEntry, UiMethod } from './state.ts';
import { UI_METHODS } from './state.ts';
import { LIMITS, inRange } from './limits.ts';

export const STORAGE_KEY = 'netisac-planner/v1';
/** Longer fragments are refused (browsers and chat tools cut long URLs). */
export const MAX_FRAGMENT = 8000;

interface Saved {
  scenario: Record<string, unknown>;
  radius: number;
  method: UiMethod;
  design?: Record<string, unknown>;
  /** Whether the design was made for exactly this scenario (else it is restored as stale). */
  designCurrent?: boolean;
}

export function saveState(s: AppState, storage: Storage = localStorage): void {
  const saved: Saved = {
    scenario: draftToJson(s.draft, s.explicit),
    radius: s.radius,
    method: s.method,
    ...(s.result ? { design: s.result.design, designCurrent: s.result.scenarioVersion === s.version } : {}),
  };
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Quota exceeded (a large imported design): keep the scenario at least.
    try {
      storage.setItem(STORAGE_KEY, JSON.stringify({ ...saved, design: undefined }));
    } catch {
      /* storage unavailable: nothing to do */
    }
  }
}

export interface Restored {
  loaded: Loaded;
  radius?: number;
  method?: UiMethod;
  design?: Record<string, unknown>;
  designCurrent?: boolean;
}

/** The saved work, checked like an import; null when there is none or it no longer passes. */
export function restoreState(storage: Storage = localStorage): Restored | null {
  let saved: Saved;
  try {
    const text = storage.getItem(STORAGE_KEY);
    if (!text) return null;
    saved = JSON.parse(text) as Saved;
    const loaded = checkScenario(saved.scenario, 'saved work');
    return {
      loaded,
      ...(typeof saved.radius === 'number' && inRange(LIMITS.radius, saved.radius) ? { radius: saved.radius } : {}),
      ...(UI_METHODS.includes(saved.method) ? { method: saved.method } : {}),
      ...(saved.design ? { design: saved.design, designCurrent: saved.designCurrent === true } : {}),
    };
  } catch {
    return null;
  }
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The share fragment ("s=..."); throws when it would be too long. */
export async function shareFragment(s: AppState): Promise<string> {
  const json = JSON.stringify({ scenario: draftToJson(s.draft, null), radius: s.radius });
  const packed = toBase64Url(await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw')));
  const fragment = `s=${packed}`;
  if (fragment.length > MAX_FRAGMENT) {
    throw new Error(`the scenario is too large for a link (${fragment.length} characters, at most ${MAX_FRAGMENT}); export it as a file instead`);
  }
  return fragment;
}

/** Reads a share fragment back (checked like an import). */
export async function readFragment(hash: string): Promise<{ loaded: Loaded; radius?: number } | null> {
  const m = /^#?s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return null;
  const bytes = await pipe(fromBase64Url(m[1]), new DecompressionStream('deflate-raw'));
  const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { scenario: unknown; radius?: number };
  const loaded = checkScenario(parsed.scenario, 'shared link');
  return { loaded, ...(typeof parsed.radius === 'number' && inRange(LIMITS.radius, parsed.radius) ? { radius: parsed.radius } : {}) };
}

export function restoredResult(r: Restored, version: number): ResultEntry | null {
  if (!r.design) return null;
  return { design: r.design, origin: 'solver', scenarioVersion: r.designCurrent ? version : version - 1 };
}

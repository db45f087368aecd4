/**
 * Connects the store to the solver: Solve/Cancel, progress, and the optional automatic
 * re-solve after edits (debounced so a drag triggers one solve, not hundreds).
 */
import { draftToJson } from '../app/draft.ts';
import { errorText, setMessage } from '../app/actions.ts';
import type { AppState } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { CancelledError, SolverClient } from './client.ts';

const AUTO_SOLVE_DELAY_MS = 700;

export class SolveController {
  private client = new SolverClient();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seen: string;
  private autoWasOn = false;

  constructor(private store: Store<AppState>) {
    this.seen = this.key(store.state);
    store.subscribe((s) => this.onState(s));
  }

  /** Why Solve cannot run now (fields with invalid text: the model would not be what they show). */
  static blocked(s: AppState): string | null {
    const errors = Object.values(s.fieldErrors);
    return errors.length > 0 ? `Fix first: ${errors.join('; ')}` : null;
  }

  async solve(): Promise<void> {
    clearTimeout(this.timer);
    const s = this.store.state;
    const blocked = SolveController.blocked(s);
    if (blocked) {
      setMessage(this.store, 'solve', blocked);
      return;
    }
    const version = s.version;
    const method = s.method;
    this.store.update({ solving: { method, fraction: 0, message: 'running', startedAt: performance.now() }, messages: { ...s.messages, solve: undefined } });
    try {
      const { design, kernels } = await this.client.solve(
        {
          scenario: draftToJson(s.draft, s.explicit),
          method,
          ...(method === 'exact' ? { timeLimit: s.timeLimit } : {}),
          ...(method === 'fixed' ? { receiver: s.fixed.receiver, association: s.fixed.association } : {}),
          seed: s.draft.channelModel.seed,
        },
        (fraction, message) => this.store.update((st) => (st.solving ? { solving: { ...st.solving, fraction, message } } : {})),
      );
      this.store.update({
        solving: null,
        result: { design: design as unknown as Record<string, unknown>, origin: 'solver', scenarioVersion: version, kernels },
      });
    } catch (err) {
      if (err instanceof CancelledError) return;
      this.store.update({ solving: null });
      setMessage(this.store, 'solve', `The solver stopped with an error: ${errorText(err)}`);
    }
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.client.cancel();
    this.store.update({ solving: null });
  }

  /** What a solve depends on; a change re-solves when auto-solve is on. */
  private key(s: AppState): string {
    return `${s.version}|${s.method}|${s.method === 'exact' ? s.timeLimit : ''}|${s.method === 'fixed' ? JSON.stringify(s.fixed) : ''}`;
  }

  private onState(s: AppState): void {
    const k = this.key(s);
    const switchedOn = s.autoSolve && !this.autoWasOn;
    this.autoWasOn = s.autoSolve;
    // Turning auto-solve on brings a missing or stale result up to date.
    const outdated = s.result === null || s.result.scenarioVersion !== s.version;
    if (k === this.seen && !(switchedOn && outdated && !s.solving)) return;
    this.seen = k;
    if (!s.autoSolve) return;
    this.arm();
  }

  /** Solves after the delay, or later if a drag is still going on. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.store.state.dragging ? this.arm() : void this.solve()), AUTO_SOLVE_DELAY_MS);
  }
}

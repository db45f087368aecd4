/**
 * A minimal observable store: state is replaced (never mutated) by `update`, and listeners
 * run once per animation frame however many updates happened (drags update per pointermove).
 */
export class Store<T> {
  private listeners: ((s: T) => void)[] = [];
  private scheduled = false;

  constructor(private current: T) {}

  get state(): T {
    return this.current;
  }

  update(patch: Partial<T> | ((s: T) => Partial<T>)): void {
    const p = typeof patch === 'function' ? patch(this.current) : patch;
    this.current = { ...this.current, ...p };
    this.schedule();
  }

  subscribe(fn: (s: T) => void): void {
    this.listeners.push(fn);
  }

  /** Runs the listeners now (initial render). */
  flush(): void {
    this.scheduled = false;
    for (const fn of this.listeners) fn(this.current);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.flush());
  }
}

/**
 * One request at a time in a Web Worker. A new request, or `cancel`, terminates the worker
 * that runs the previous one (its answer is no longer wanted, and a synchronous solve inside
 * it cannot be interrupted any other way); the next request starts a fresh worker.
 */
interface Pending<Reply> {
  id: number;
  handle: (m: Reply) => void;
  reject: (e: Error) => void;
}

/** What a reply handler does with one message of the worker: settle the request, or not yet. */
export type ReplyHandler<Reply, T> = (m: Reply, resolve: (v: T) => void, reject: (e: Error) => void) => void;

export class WorkerSession<Reply extends { id: number }> {
  private worker: Worker | null = null;
  private pending: Pending<Reply> | null = null;
  private nextId = 1;

  /**
   * @param spawn creates the worker (kept at the call site: bundlers find the worker module
   *   only in a literal `new Worker(new URL(...), ...)`)
   * @param name what the worker does, for the crash message
   * @param superseded the error a request is rejected with when it is cancelled
   */
  constructor(
    private readonly spawn: () => Worker,
    private readonly name: string,
    private readonly superseded: () => Error,
  ) {}

  /** Posts `message(id)` and settles through `handle` when the worker answers that id. */
  request<T>(message: (id: number) => unknown, handle: ReplyHandler<Reply, T>): Promise<T> {
    this.cancel();
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      const settle =
        <V>(f: (v: V) => void) =>
        (v: V) => {
          this.pending = null;
          f(v);
        };
      this.pending = { id, reject, handle: (m) => handle(m, settle(resolve), settle(reject)) };
      worker.postMessage(message(id));
    });
  }

  busy(): boolean {
    return this.pending !== null;
  }

  cancel(): void {
    if (!this.pending) return;
    this.worker?.terminate();
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p.reject(this.superseded());
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (e: MessageEvent<Reply>) => {
      const p = this.pending;
      if (p && e.data.id === p.id) p.handle(e.data);
    };
    w.onerror = (e: ErrorEvent) => {
      const p = this.pending;
      this.pending = null;
      this.worker?.terminate();
      this.worker = null;
      p?.reject(new Error(`the ${this.name} worker crashed: ${e.message || 'unknown error'}`));
    };
    this.worker = w;
    return w;
  }
}

/**
 * Typed-array workspaces carved out of shared blocks of memory.
 *
 * Why. V8 gives every typed array longer than 64 bytes a backing store of its own outside
 * the JavaScript heap: creating one costs 1-2 us (measured on Node 20 here: Float64Array(64)
 * 1.2 us, Float64Array(184) 2.0 us, against 0.02-0.07 us for a view on an existing buffer),
 * and each is a finaliser for the garbage collector. A paper-scale design SDP with three
 * targets allocated about 700 of them per solve, most in the cones' and the Schur
 * complement's workspaces, which live exactly as long as the solve.
 *
 * An arena hands out zeroed views on blocks of `blockDoubles` doubles (a request larger than
 * a block gets an array of its own); the blocks are freed with the last view on them, so an
 * arena belongs to one owner whose arrays share its lifetime (a cone kernel, a Schur
 * builder, one interior-point run). Nothing else changes: the views hold the same zeros and
 * the arithmetic on them is the same.
 */
export class Arena {
  private readonly blockBytes: number;
  private block: ArrayBuffer;
  /** Next free byte of `block` (a multiple of 8). */
  private used = 0;

  constructor(blockDoubles: number) {
    this.blockBytes = 8 * Math.max(1, Math.ceil(blockDoubles));
    this.block = new ArrayBuffer(this.blockBytes);
  }

  /** A zeroed Float64Array of length n. */
  f64(n: number): Float64Array {
    const bytes = 8 * n;
    if (bytes > this.blockBytes) return new Float64Array(n);
    return new Float64Array(this.take(bytes), this.used - bytes, n);
  }

  /** A zeroed Int32Array of length n (its slot rounded up to 8 bytes, keeping the doubles aligned). */
  i32(n: number): Int32Array {
    const bytes = 8 * Math.ceil(n / 2);
    if (bytes > this.blockBytes) return new Int32Array(n);
    return new Int32Array(this.take(bytes), this.used - bytes, n);
  }

  /** The block that holds the next `bytes` bytes (a fresh one when the current is full); `used` moves past them. */
  private take(bytes: number): ArrayBuffer {
    if (this.used + bytes > this.blockBytes) {
      this.block = new ArrayBuffer(this.blockBytes);
      this.used = 0;
    }
    this.used += bytes;
    return this.block;
  }
}

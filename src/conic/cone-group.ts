/**
 * The interior-point loop's calls to its cones, with runs of same-order matrix cones whose
 * matrices live in the run's vector space (src/linalg/wasm-vectors.ts, hpsd.ts / psd.ts
 * `space`) taken as one WebAssembly call per operation.
 *
 * Why: the paper's SDP has 8 Hermitian blocks of one order, the hexagon relaxation 96, SDPLIB's
 * truss2 33 real ones; one call per block and operation was ~2,800 calls into WebAssembly per
 * paper solve (9,000 for truss2), each through V8's generic wrapper and an interpreted cone
 * method in a fresh process. A group is a run of cones consecutive in x (each block's vector
 * segment right after the previous one's) and in the space (scaling blocks at a fixed stride):
 * wasm/kernels.ts applyDBatch and after run each block exactly as its own call would, so the
 * results are the same bits; what the loop counts per block comes back in BATCH_COUNT and the
 * smallest step's block in BATCH_WHO. Every other cone is called as before.
 */
import type { InternalCone } from './prepare.ts';
import { HpsdCone } from './cones/hpsd.ts';
import { PsdCone } from './cones/psd.ts';
import { Hpsd2Cone, type H2Kernels } from './cones/hpsd2.ts';
import { opCounts, productsSoFar, tallyProducts } from '../linalg/op-counts.ts';

/** The group operations of wasm/kernels.ts (offsets in f64 slots of the space's memory); the 2 x 2 blocks' own (h2*Batch) too. */
interface GroupKernels extends H2Kernels {
  memory: WebAssembly.Memory;
  BATCH_WHO: WebAssembly.Global;
  BATCH_COUNT: WebAssembly.Global;
  scalingBatch(complex: number, n: number, dim: number, count: number, sc: number, stride: number, x: number, z: number): number;
  applyDBatch(complex: number, n: number, dim: number, count: number, sc: number, stride: number, v: number, out: number): void;
  dxFromDzBatch(complex: number, n: number, dim: number, count: number, sc: number, stride: number, dz: number, out: number): void;
  correctDirBatch(complex: number, n: number, dim: number, count: number, sc: number, stride: number, w: number, out: number): void;
  rhsBatch(complex: number, n: number, dim: number, count: number, sc: number, stride: number, sigmaMu: number, corrector: number, out: number): void;
  stepBatch(complex: number, n: number, count: number, sc: number, stride: number, enough: number): number;
  centralityBatch(complex: number, n: number, dim: number, count: number, sc: number, stride: number, alpha: number, lo: number, hi: number, out: number): void;
}

type Resident = HpsdCone | PsdCone | Hpsd2Cone;

/** A run of same-order resident cones: cones[first .. first + count - 1] of the loop. */
class Group {
  readonly count: number;
  /** 1 for Hermitian cones, 0 for real ones (the kernels' `complex`). */
  private readonly complex: number;
  private readonly n: number;
  private readonly dim: number;
  private readonly off: number;
  private readonly stride: number;
  private readonly sc: number;
  /** The 2 x 2 Hermitian blocks in closed form (hpsd2.ts), whose kernels are wasm/kernels.ts h2*Batch. */
  private readonly h2: boolean;

  constructor(
    readonly first: number,
    private readonly members: { cone: InternalCone; kernel: Resident; sc: number }[],
    private readonly k: GroupKernels,
  ) {
    const head = members[0];
    this.count = members.length;
    this.complex = head.kernel instanceof HpsdCone || head.kernel instanceof Hpsd2Cone ? 1 : 0;
    this.n = head.cone.n;
    this.dim = head.cone.dim;
    this.off = head.cone.off;
    this.sc = head.sc;
    this.stride = members.length > 1 ? members[1].sc - head.sc : 0;
    this.h2 = head.kernel instanceof Hpsd2Cone;
  }

  /** Whether all the arrays live in the space (else the caller calls the cones one by one). */
  here(a: Float64Array, b?: Float64Array): boolean {
    const buf = this.k.memory.buffer;
    return a.buffer === buf && (b === undefined || b.buffer === buf);
  }

  private at(v: Float64Array): number {
    return (v.byteOffset >>> 3) + this.off;
  }

  /** Counts a per-block operation as the cones count it (complex or real products). */
  private products(perBlock: number): void {
    if (this.complex) opCounts.complexProducts += perBlock * this.count;
    else opCounts.realProducts += perBlock * this.count;
  }

  updateScaling(x: Float64Array, z: Float64Array): boolean {
    const { complex, n, dim, count, sc, stride, k } = this;
    if (this.h2) {
      const failed = k.h2ScalingBatch(count, sc, stride, this.at(x), this.at(z));
      opCounts.complexProducts += k.BATCH_COUNT.value as number;
      for (let ix = 0; ix < this.members.length; ix++) {
        const m = this.members[ix];
        m.kernel.afterGroupScaling(x, m.cone.off);
      }
      return failed === 0;
    }
    const failed = k.scalingBatch(complex, n, dim, count, sc, stride, this.at(x), this.at(z));
    const reached2 = k.BATCH_COUNT.value as number;
    const products = 2 * reached2 + 2 * (count - failed);
    if (complex) {
      opCounts.complexProducts += products;
      opCounts.complexEigVectors += reached2;
    } else opCounts.realProducts += products;
    for (let ix = 0; ix < this.members.length; ix++) {
      const m = this.members[ix];
      m.kernel.afterGroupScaling(x, m.cone.off);
    }
    return failed === 0;
  }

  applyD(v: Float64Array, out: Float64Array): void {
    const { complex, n, dim, count, sc, stride, k } = this;
    if (this.h2) k.h2ApplyDBatch(count, sc, stride, this.at(v), this.at(out));
    else k.applyDBatch(complex, n, dim, count, sc, stride, this.at(v), this.at(out));
    this.products(2);
  }

  dxFromDz(dz: Float64Array, out: Float64Array): void {
    const { complex, n, dim, count, sc, stride, k } = this;
    if (this.h2) k.h2DxFromDzBatch(count, sc, stride, this.at(dz), this.at(out));
    else k.dxFromDzBatch(complex, n, dim, count, sc, stride, this.at(dz), this.at(out));
    this.products(4);
  }

  correctDir(w: Float64Array, out: Float64Array): void {
    const { complex, n, dim, count, sc, stride, k } = this;
    if (this.h2) k.h2CorrectDirBatch(count, sc, stride, this.at(w), this.at(out));
    else k.correctDirBatch(complex, n, dim, count, sc, stride, this.at(w), this.at(out));
    this.products(4);
  }

  /** The centring or corrector rhs (not the affine one, which the cones form without a product). */
  rhs(sigmaMu: number, corrector: boolean, out: Float64Array): void {
    const { complex, n, dim, count, sc, stride, k } = this;
    if (this.h2) {
      k.h2RhsBatch(count, sc, stride, sigmaMu, corrector ? 1 : 0, this.at(out));
      opCounts.complexProducts += k.BATCH_COUNT.value as number;
      return;
    }
    k.rhsBatch(complex, n, dim, count, sc, stride, sigmaMu, corrector ? 1 : 0, this.at(out));
    this.products(corrector ? 3 : 2);
  }

  /** The smallest step of the group's cones and the index (in the loop's cones) of the first that has it, -1 if none is below Infinity. */
  maxStep(enough: number): { a: number; who: number } {
    const { complex, n, count, sc, stride, k } = this;
    const a = this.h2 ? k.h2StepBatch(count, sc, stride) : k.stepBatch(complex, n, count, sc, stride, enough);
    if (complex && !this.h2) opCounts.complexEigValues += k.BATCH_COUNT.value as number;
    const b = k.BATCH_WHO.value as number;
    return { a, who: b < 0 ? -1 : this.first + b };
  }

  centrality(alpha: number, lo: number, hi: number, out: Float64Array): void {
    const { complex, n, dim, count, sc, stride, k } = this;
    if (this.h2) {
      k.h2CentralityBatch(count, sc, stride, alpha, lo, hi, this.at(out));
      opCounts.complexProducts += k.BATCH_COUNT.value as number;
      return;
    }
    k.centralityBatch(complex, n, dim, count, sc, stride, alpha, lo, hi, this.at(out));
    const stage2 = k.BATCH_COUNT.value as number;
    if (complex) {
      opCounts.complexProducts += count + 2 * stage2;
      opCounts.complexEigVectors += count;
    } else opCounts.realProducts += count + 2 * stage2;
  }
}

/**
 * The loop's cones as groups and single cones, in the loop's order. `kernels` is the vector
 * space's (null: no groups, every cone is called on its own). Indexed loops, not for-of: these
 * run several times an iteration, interpreted in a fresh process, where for-of allocates an
 * iterator result per step.
 */
export class ConeCalls {
  private readonly groups: Group[] = [];
  /** The cones in no group, with their index in the loop's cones. */
  private readonly singles: { ci: number; cone: InternalCone }[] = [];

  constructor(
    private readonly cones: readonly InternalCone[],
    kernels: unknown,
  ) {
    const k = kernels as GroupKernels | null;
    let ci = 0;
    while (ci < cones.length) {
      const run = k ? this.runFrom(ci) : [];
      if (run.length >= 2) {
        this.groups.push(new Group(ci, run, k as GroupKernels));
        ci += run.length;
      } else {
        this.singles.push({ ci, cone: cones[ci] });
        ci++;
      }
    }
  }

  /** The longest run of resident same-kind same-order cones from ci, consecutive in x and at one stride in the space. */
  private runFrom(ci: number): { cone: InternalCone; kernel: Resident; sc: number }[] {
    const run: { cone: InternalCone; kernel: Resident; sc: number }[] = [];
    const first = this.cones[ci];
    for (let i = ci; i < this.cones.length; i++) {
      const cone = this.cones[i];
      const kernel = cone.kernel;
      if (!(kernel instanceof HpsdCone || kernel instanceof PsdCone || kernel instanceof Hpsd2Cone)) break;
      const sc = kernel.residentSlot;
      // one kind of kernel per run (a generic HpsdCone(2) would take other kernels than Hpsd2Cone)
      if (sc === null || cone.n !== first.n || cone.kind !== first.kind || kernel.constructor !== first.kernel.constructor) break;
      const prev = run[run.length - 1];
      if (prev && (cone.off !== prev.cone.off + prev.cone.dim || (run.length >= 2 && sc - prev.sc !== run[1].sc - run[0].sc))) break;
      run.push({ cone, kernel, sc });
    }
    return run;
  }

  /** out = D v; `use` names what the loop applies it for (op-counts.ts productsByUse). */
  applyD(v: Float64Array, out: Float64Array, use = 'D'): void {
    const mark = productsSoFar();
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      if (g.here(v, out)) g.applyD(v, out);
      else this.each(g, (c) => c.kernel.applyD(v, out, c.off));
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { cone } = this.singles[ix];
      cone.kernel.applyD(v, out, cone.off);
    }
    tallyProducts(use, mark);
  }

  dxFromDz(dz: Float64Array, out: Float64Array): void {
    const mark = productsSoFar();
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      if (g.here(dz, out)) g.dxFromDz(dz, out);
      else this.each(g, (c) => c.kernel.dxFromDz(dz, out, c.off));
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { cone } = this.singles[ix];
      cone.kernel.dxFromDz(dz, out, cone.off);
    }
    tallyProducts('dxFromDz', mark);
  }

  correctDir(w: Float64Array, out: Float64Array): void {
    const mark = productsSoFar();
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      if (g.here(w, out)) g.correctDir(w, out);
      else this.each(g, (c) => c.kernel.correctDir(w, out, c.off));
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { cone } = this.singles[ix];
      cone.kernel.correctDir(w, out, cone.off);
    }
    tallyProducts('correctDir', mark);
  }

  rhs(sigmaMu: number, corrector: boolean, out: Float64Array): void {
    const mark = productsSoFar();
    const affine = sigmaMu === 0 && !corrector;
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      if (!affine && g.here(out)) g.rhs(sigmaMu, corrector, out);
      else this.each(g, (c) => c.kernel.rhs(sigmaMu, corrector, out, c.off));
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { cone } = this.singles[ix];
      cone.kernel.rhs(sigmaMu, corrector, out, cone.off);
    }
    tallyProducts('rhs', mark);
  }

  /** Every cone's scaling at (x, z): false when any point is not inside its cone (all are still updated). */
  updateScaling(x: Float64Array, z: Float64Array): boolean {
    const mark = productsSoFar();
    let ok = true;
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      if (g.here(x, z)) {
        if (!g.updateScaling(x, z)) ok = false;
      } else
        this.each(g, (c) => {
          if (!c.kernel.updateScaling(x, z, c.off)) ok = false;
        });
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { cone } = this.singles[ix];
      if (!cone.kernel.updateScaling(x, z, cone.off)) ok = false;
    }
    tallyProducts('updateScaling', mark);
    return ok;
  }

  /**
   * The smallest of the cones' steps and the first cone (in the loop's order) that has it, as
   * a loop over the cones with a strict `<` finds them (-1 when every step is Infinity).
   */
  maxStep(dx: Float64Array, dz: Float64Array, enough: number): { a: number; who: number } {
    let a = Infinity;
    let who = -1;
    const take = (s: number, ci: number) => {
      if (s < a || (s === a && ci < who)) {
        a = s;
        who = ci;
      }
    };
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      const r = g.maxStep(enough);
      if (r.who >= 0) take(r.a, r.who);
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { ci, cone } = this.singles[ix];
      take(cone.kernel.maxStep(dx, dz, cone.off, enough), ci);
    }
    return { a, who };
  }

  centrality(alpha: number, lo: number, hi: number, out: Float64Array): void {
    const mark = productsSoFar();
    for (let ix = 0; ix < this.groups.length; ix++) {
      const g = this.groups[ix];
      if (g.here(out)) g.centrality(alpha, lo, hi, out);
      else this.each(g, (c) => c.kernel.centrality(alpha, lo, hi, out, c.off));
    }
    for (let ix = 0; ix < this.singles.length; ix++) {
      const { cone } = this.singles[ix];
      cone.kernel.centrality(alpha, lo, hi, out, cone.off);
    }
    tallyProducts('centrality', mark);
  }

  /** The group's cones called one by one. */
  private each(g: Group, f: (c: InternalCone) => void): void {
    for (let i = g.first; i < g.first + g.count; i++) f(this.cones[i]);
  }
}

package dev.soma.tensor.kernel.simd;

import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.Workers;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix product of {@link SimdKernels#gemm}: {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)},
 * blocked for the caches and computed in a register tile, as in GotoBLAS and BLIS.
 *
 * <h2>The register tile</h2>
 * The micro-kernel ({@link GemmTiles#wide}) computes an {@code MR × NR} block of C, {@code MR = 8}
 * rows by {@code NR = 2} vectors ({@code 8 × 32} floats with AVX-512's 16 lanes), in 16 vector
 * accumulators held in local variables: for each p it loads two vectors of B's row p and, for each of
 * the 8 rows, broadcasts {@code A[i, p]} and issues two fused multiply-adds. 16 independent
 * accumulators cover the FMA latency on both FMA pipes; with the two B vectors and the broadcasts
 * they fit the 32 vector registers. A right edge of at most one vector uses an {@code 8 × L} tile
 * ({@link GemmTiles#narrow}), so n = 200 wastes 8 columns of work, not 24.
 *
 * <h2>Blocking and packing</h2>
 * <pre>
 *   for pc in steps of kc ≤ KC over k     op(B)[pc.., :] packed into panels of kc × NR (B's block pc)
 *     for ic in steps of MC over m        pack op(A)[ic.., pc..] into panels of MR × kc (L2)
 *       for jr in steps of NR             one B panel (kc·NR·4 bytes ≤ 128 KB: L2) ...
 *         for ir in steps of MR           ... reused by every A panel of the block
 *           micro-kernel: C[ir.., jr..] (+)= A panel · B panel
 * </pre>
 * Panels are contiguous and p-major: a B panel holds {@code op(B)[p, jr .. jr+NR)} for each p, an A
 * panel {@code op(A)[ir .. ir+MR, p]}. So the micro-kernel reads both at a constant stride, C2 removes
 * every bounds check from its loop and addresses every element as one register plus a constant.
 * The packing does the transpositions ({@link GemmPacking}): {@code transA} and {@code transB} cost
 * nothing in the kernel. Columns past n and rows past m are packed as zeros; their sums are not
 * stored. k is cut into blocks of equal depth at most KC; each block's sum is added into C, so an
 * element of C is {@code (C₀ +) s₀ + s₁ + …}, each {@code sᵢ} one chain of fused multiply-adds.
 *
 * <p>Why KC is deeper than a B panel that fits L1, and how each threshold below was measured:
 * {@link Tuning}, where every one of them is defined.
 *
 * <h2>Threads</h2>
 * Products of {@code m·n·k ≥} {@link Tuning#PARALLEL_PRODUCT} use {@link Workers}' threads (the
 * caller and persistent workers, two on this machine), in one of two ways:
 * <ul>
 *   <li>op(B) under {@link Tuning#SHARED_B_FLOATS} elements (it fits a core's L2): each thread packs
 *       the B panels it needs itself, block of k by block, and uses them at once; C is split by columns (each thread
 *       also packs all of A, or reads A's rows in place when it has two panels or fewer:
 *       {@link #readsRowsOfA}) or by rows (each packs all of B), whichever costs less
 *       ({@link #splitColumns}). Reading B packed by the other core would cost more than packing it
 *       again.</li>
 *   <li>Larger B: one packed copy of all of op(B), shared. The job's first parts pack its panels (a
 *       share per thread); the next parts are blocks of C's rows, claimed one by one, which wait until
 *       B is packed, then pack their own rows of A. Many row blocks let a thread slowed by another
 *       process leave the rest of the work to the other.</li>
 * </ul>
 * Buffers grow to the largest product seen and are kept, so repeated products allocate nothing.
 * Products with at most {@link Tuning#SKINNY_ROWS} rows, or under {@link Tuning#SMALL_PRODUCT}, are not
 * packed at all ({@link GemmRows}).
 */
final class SimdGemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rows of the register tile. */
    static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * LANES;
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private SimdGemm() {
    }

    /** The arguments of one product, C not overlapping A or B; see {@link SimdKernels#gemm}. */
    record Product(boolean transA, boolean transB, int m, int n, int k,
                   float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                   float[] c, int cOffset, int ldc, boolean accumulate) {
    }

    /** Computes the product, on the calling thread and, when large, on {@code workers}. */
    static void multiply(Product product, Workers workers) {
        int m = product.m();
        int n = product.n();
        int k = product.k();
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!product.accumulate()) {
                for (int i = 0; i < m; i++) {
                    int row = product.cOffset() + i * product.ldc();
                    Arrays.fill(product.c(), row, row + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        int threads = work < Tuning.PARALLEL_PRODUCT ? 1 : workers.threads();
        if (work < Tuning.SMALL_PRODUCT || m <= Tuning.SKINNY_ROWS
                || product.transB() && (long) m * n <= Tuning.FEW_OUTPUTS) {
            GemmRows.multiply(product, threads, workers);
            return;
        }
        if (readsWeightRows(product)) {
            transposed(product, threads, workers);
            return;
        }
        int panels = ceilDiv(n, NR);
        int paddedN = panels * NR;
        float[] packedB = WORKSPACE.get().packedB(k * paddedN);
        int tiles = ceilDiv(m, MR);
        if (threads == 1 || (long) k * n < Tuning.SHARED_B_FLOATS || readsBDirectly(product)) {
            // B fits a core's L2: each thread packs the panels of B it needs, and multiplies them at once.
            boolean byColumns = threads == 1 || splitColumns(m, n, threads);
            int parts = Math.min(threads, byColumns ? panels : tiles);
            boolean aInPlace = byColumns && readsRowsOfA(product, ceilDiv(panels, parts));
            workers.run(parts, part -> {
                int first = part * (byColumns ? panels : tiles) / parts;
                int last = (part + 1) * (byColumns ? panels : tiles) / parts;
                if (byColumns) {
                    columns(product, packedB, paddedN, 0, m, first, last, aInPlace); // disjoint panels
                } else {
                    float[] own = WORKSPACE.get().packedB(k * paddedN); // all of B, for the part's rows
                    columns(product, own, paddedN, first * MR, Math.min(m, last * MR), 0, panels, false);
                }
            });
        } else {
            // Split C's rows: B packed once, its panels shared out, then row blocks claimed one by one.
            int packParts = Math.min(4 * threads, panels);
            int parts = Math.min(ceilDiv(tiles, 4), Math.max(4 * threads, ceilDiv(m, Tuning.MC)));
            AtomicInteger packed = new AtomicInteger();
            workers.run(packParts + parts, part -> {
                if (part < packParts) {
                    try {
                        packB(product, packedB, paddedN, part * panels / packParts,
                                (part + 1) * panels / packParts, 0, k);
                    } finally {
                        packed.incrementAndGet();
                    }
                    return;
                }
                // Parts are claimed in order: every packing part is under way, wait for it to finish.
                for (int spins = 1; packed.get() < packParts; spins++) {
                    if (spins % 1024 == 0) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                int row = part - packParts;
                rows(product, packedB, paddedN, row * tiles / parts * MR,
                        Math.min(m, (row + 1) * tiles / parts * MR), 0, panels, 0, k, false);
            });
        }
    }

    /**
     * Whether {@code C = A·Bᵀ} is computed as its transpose {@code Cᵀ = B·Aᵀ} ({@link #transposed}): a
     * batch of at most two panels' rows times a transposed weight ({@code x·Wᵀ}, a linear layer's
     * forward: 64 × 256 × 784), where packing Wᵀ would transpose all of W for one use. Cᵀ reads W's
     * rows in place ({@link GemmTilesInPlace#wideRowsOfA}) and packs only x. k within one block
     * ({@link Tuning#KC}), so that C's old value is added to the one block's sum as the direct
     * product does, and the bits are the same.
     */
    static boolean readsWeightRows(Product x) {
        int edge = x.m() % NR;
        return !x.transA() && x.transB() && x.k() <= Tuning.KC && x.m() <= 2 * NR && x.n() > 2 * NR
                && (edge == 0 || edge > LANES);
    }

    /**
     * {@link #readsWeightRows}' product: {@code Cᵀ = B·Aᵀ} into a scratch matrix, its rows (C's columns)
     * split over the threads, each thread then adding (or copying) its rows into C, transposed. Each
     * element is the same chain of fused multiply-adds over p as in the direct product (products
     * commute), plus C's old value when accumulating.
     */
    private static void transposed(Product x, int threads, Workers workers) {
        int m = x.m();
        int n = x.n();
        int k = x.k();
        float[] result = WORKSPACE.get().transposed(n * m);
        Product t = new Product(false, true, n, m, k, x.b(), x.bOffset(), x.ldb(), x.a(), x.aOffset(), x.lda(),
                result, 0, m, false);
        int panels = ceilDiv(m, NR);
        int tiles = ceilDiv(n, MR);
        int parts = Math.min(threads, tiles);
        workers.run(parts, part -> {
            int first = part * tiles / parts * MR;
            int last = Math.min(n, (part + 1) * tiles / parts * MR);
            float[] packed = WORKSPACE.get().packedB(k * panels * NR); // all of Aᵀ, for the part's rows
            columns(t, packed, panels * NR, first, last, 0, panels, true);
            float[] c = x.c();
            for (int i = 0; i < m; i++) {
                int row = x.cOffset() + i * x.ldc();
                if (x.accumulate()) {
                    for (int j = first; j < last; j++) {
                        c[row + j] = result[j * m + i] + c[row + j];
                    }
                } else {
                    for (int j = first; j < last; j++) {
                        c[row + j] = result[j * m + i];
                    }
                }
            }
        });
    }

    /**
     * Whether the product reads A's rows unpacked ({@link GemmTilesInPlace#wideRowsOfA}): A not transposed
     * and one panel of B's columns wider than a vector, so that each element of A is used once per
     * block of k. B is then packed (it is at most NR columns wide).
     */
    static boolean readsADirectly(Product x) {
        return !x.transA() && x.n() > LANES && x.n() <= NR;
    }

    /**
     * Whether a part computing {@code panelsPerPart} panels of C's columns reads A's rows where they
     * lie ({@link GemmTilesInPlace#wideRowsOfA}) instead of packing all of op(A): with two panels or
     * fewer, each packed element would be read twice at most. Alternating calls, two threads: 128³
     * (two panels each) 1.07× and 1.25× in place (two runs), 64×128×256 0.99× and 1.04×; with three
     * panels or more, packing wins (160³, 192³: 0.93–0.94× in place). Needs A not transposed, B
     * packed (not {@link #readsBDirectly}) and no right edge of a vector or less ({@link GemmTiles#narrow}).
     */
    static boolean readsRowsOfA(Product x, int panelsPerPart) {
        int edge = x.n() % NR;
        return panelsPerPart <= 2 && !x.transA() && !readsBDirectly(x) && (edge == 0 || edge > LANES);
    }

    /**
     * Whether the product reads B's full panels unpacked: few rows ({@link Tuning#DIRECT_B_ROWS}) or
     * a shallow k ({@link Tuning#DIRECT_B_DEPTH}).
     */
    static boolean readsBDirectly(Product x) {
        return !x.transB() && (x.m() <= Tuning.DIRECT_B_ROWS || x.k() <= Tuning.DIRECT_B_DEPTH)
                && !readsADirectly(x);
    }

    /**
     * Whether to split C's columns (rather than its rows) over the threads when each packs its own B:
     * the split whose largest part computes fewer tiles, counting the padding of edge tiles and the
     * packing that each part repeats (all of op(A) when splitting columns, all of op(B) when splitting
     * rows). Per element of depth k, a tile element costs 2 flops and a packed element about 8.
     */
    static boolean splitColumns(int m, int n, int threads) {
        long paddedM = (long) ceilDiv(m, MR) * MR;
        long paddedN = (long) ceilDiv(n, NR) * NR;
        long byColumns = (long) ceilDiv(ceilDiv(n, NR), threads) * NR * paddedM * 2 + 8L * m;
        long byRows = (long) ceilDiv(ceilDiv(m, MR), threads) * MR * paddedN * 2 + 8L * n;
        return byColumns <= byRows;
    }

    // ---------------------------------------------------------------------------------------------
    // The blocked product

    /** The depth of k's blocks: as even as possible, at most {@link Tuning#KC}, a multiple of the lanes. */
    static int depth(int k) {
        int blocks = ceilDiv(k, Tuning.KC);
        return Math.min(Tuning.KC, ceilDiv(ceilDiv(k, blocks), LANES) * LANES);
    }

    /** {@code C[i0..i1, q0·NR..q1·NR)}, packing B's panels for one block of k just before using them. */
    static void columns(Product x, float[] packedB, int paddedN, int i0, int i1, int q0, int q1, boolean aInPlace) {
        int depth = depth(x.k());
        for (int pc = 0; pc < x.k(); pc += depth) {
            int end = Math.min(x.k(), pc + depth);
            if (readsBDirectly(x)) {
                // only a last, partial panel is packed; the full ones are read in place
                int last = x.n() / NR;
                if (last < q1 && last * NR < x.n()) {
                    packB(x, packedB, paddedN, Math.max(q0, last), q1, pc, end);
                }
            } else {
                packB(x, packedB, paddedN, q0, q1, pc, end);
            }
            rows(x, packedB, paddedN, i0, i1, q0, q1, pc, end, aInPlace);
        }
    }

    /**
     * Panels {@code [q0, q1)} of op(B) for k's blocks in {@code [p0, p1)}: block pc (of depth kc)
     * starts at {@code pc·paddedN} and holds its panels one after the other, each {@code kc × NR}.
     */
    static void packB(Product x, float[] packedB, int paddedN, int q0, int q1, int p0, int p1) {
        int depth = depth(x.k());
        int j0 = q0 * NR;
        int j1 = Math.min(x.n(), q1 * NR);
        for (int pc = p0; pc < p1 && j0 < j1; pc += depth) {
            int kc = Math.min(depth, x.k() - pc);
            GemmPacking.packB(x, pc, kc, j0, j1 - j0, packedB, pc * paddedN + j0 * kc);
        }
    }

    /** {@code C[i0..i1, q0·NR..q1·NR)} (+)= the part over k's blocks in {@code [p0, p1)}, B packed. */
    static void rows(Product x, float[] packedB, int paddedN, int i0, int i1, int q0, int q1, int p0, int p1,
                     boolean aInPlace) {
        Workspace workspace = WORKSPACE.get();
        int depth = depth(x.k());
        int j1 = Math.min(x.n(), q1 * NR);
        boolean directA = aInPlace || readsADirectly(x);
        boolean directB = readsBDirectly(x);
        for (int pc = p0; pc < p1; pc += depth) {
            int kc = Math.min(depth, p1 - pc);
            boolean load = x.accumulate() || pc > 0;
            for (int ic = i0; ic < i1; ic += Tuning.MC) {
                int mc = Math.min(Tuning.MC, i1 - ic);
                float[] packedA = workspace.packedA(kc * ceilDiv(mc, MR) * MR);
                boolean rowsOfA = directA && mc % MR == 0;
                if (!rowsOfA) {
                    GemmPacking.packA(x, ic, mc, pc, kc, packedA);
                }
                for (int jr = q0 * NR; jr < j1; jr += NR) {
                    int cols = Math.min(NR, j1 - jr);
                    int panel = pc * paddedN + jr * kc;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int cIndex = x.cOffset() + (ic + ir) * x.ldc() + jr;
                        int rows = Math.min(MR, mc - ir);
                        if (rowsOfA && cols > LANES) {
                            GemmTilesInPlace.wideRowsOfA(kc, x.a(), x.aOffset() + (ic + ir) * x.lda() + pc, x.lda(), packedB,
                                    panel, x.c(), cIndex, x.ldc(), cols, load, workspace.tile);
                        } else if (cols == NR && directB) {
                            GemmTilesInPlace.wideStrided(kc, packedA, ir * kc, rows, x.b(), x.bOffset() + pc * x.ldb() + jr,
                                    x.ldb(), x.c(), cIndex, x.ldc(), cols, load, workspace.tile);
                        } else if (cols > LANES) {
                            GemmTiles.wide(kc, packedA, ir * kc, rows, packedB, panel,
                                    x.c(), cIndex, x.ldc(), cols, load, workspace.tile);
                        } else {
                            GemmTiles.narrow(kc, packedA, ir * kc, rows, packedB, panel,
                                    x.c(), cIndex, x.ldc(), cols, load, workspace.tile);
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** A thread's packing buffers and scratch tile, grown on demand and kept. */
    private static final class Workspace {
        final float[] tile = new float[MR * NR];
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        private float[] transposed = new float[0];

        float[] transposed(int size) {
            if (transposed.length < size) {
                transposed = new float[size];
            }
            return transposed;
        }

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) {
                packedB = new float[size];
            }
            return packedB;
        }
    }
}

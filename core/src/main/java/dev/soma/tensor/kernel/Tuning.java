package dev.soma.tensor.kernel;

/**
 * Every size threshold and block size that Soma chose for speed, with the measurement that chose it,
 * in one place (as EJML's {@code EjmlParameters}): retuning Soma for another machine means reading
 * this file, measuring again, and changing numbers here.
 *
 * <p>The values were measured on the machine in docs/PERFORMANCE.md: 2 cores of a Xeon at 2.1 GHz
 * with AVX-512 (16 float lanes, 32 vector registers), 48 KB of L1 data cache and 2 MB of L2 per
 * core, shared with other work, so every comparison there alternates the two settings in one JVM
 * and quotes ranges rather than single numbers. Lower layers read these fields directly; the tensor
 * layer above reads its own three (the convolution's chunk, pooling's and Adam's hand-offs to the
 * workers) from here as well, so that it defines no speed threshold itself.
 *
 * <p>How to retune: each field says which benchmark moved it. The matrix product's are measured with
 * {@code dev.soma.bench.GemmSpeed} (one JVM, {@code SOMA_THREADS=1} for one core) or, against
 * OpenBLAS taking turns, {@code bench/scripts/gemm_compare.py}; the training steps with
 * {@code soma bench mlp|cnn|xor} and {@code dev.soma.bench.StepTimes}. A threshold only moves the
 * point where one correct path hands over to another, and every path is tested on both sides of its
 * threshold, so a wrong value costs speed, not correctness; the exceptions that change the bits (but
 * not the determinism) of a result are marked.
 *
 * <p>Not here, on purpose:
 * <ul>
 *   <li>The register tile ({@code SimdGemm.MR = 8} rows by {@code NR} = two vectors) and the groups of
 *       {@code GemmRows}: they follow from the vector width and the 32 registers, and the loops are
 *       written out for them (16 named accumulators), so they cannot change without rewriting the
 *       micro-kernels.</li>
 *   <li>{@code SimdKernels.SUM_BLOCK}, the floats summed in lanes before each flush into double: it
 *       fixes the sum's rounding, a numerical choice rather than a speed one.</li>
 *   <li>The number of threads: {@code SOMA_THREADS} at run time, default the number of cores
 *       ({@link KernelProvider}).</li>
 * </ul>
 * Every field is a compile-time constant ({@code static final} with a constant value), which javac
 * copies into the classes that read it, so C2 folds it exactly as it did a private constant.
 */
public final class Tuning {

    private Tuning() {
    }

    // ---------------------------------------------------------------------------------------------
    // Elementwise kernels

    /**
     * Elementwise runs ({@code map}, {@code zip}, {@code sum}, {@code max}, {@code min}) shorter
     * than this go to the scalar kernel: setting up vectors (broadcasts, masks, the reduction across
     * lanes) costs more than it saves on a handful of elements. Measured on XOR's training step, whose
     * every tensor has 2–8 elements: scalar kernels gave 11,700 steps/s, the SIMD ones 7,500
     * (docs/PERFORMANCE.md; the bound itself came with commit 7f25be1 and was not swept). Retune with {@code soma bench xor} and {@code ElementwiseBenchmark} at lengths around
     * the lane count.
     */
    public static final int SHORT_RUN = 32;

    // ---------------------------------------------------------------------------------------------
    // The matrix product: which path

    /**
     * Products with {@code m·n·k} under this go to the scalar gemm: a 4 × 4 × 2 product (XOR's layers)
     * is a few dozen multiply-adds, and a program of tiny tensors then never initializes the Vector
     * API (about 25 ms in a fresh JVM). XOR's first forward took 40–44 ms, 25 of them initializing the
     * Vector API, and then 19–27 ms; a fresh JVM's 5000 steps 210–245 ms, then about 177; warm,
     * 217,000 steps/s, then 240,000–256,000 (commit 0a5284c). Retune with {@code soma bench xor} and
     * {@code dev.soma.bench.XorColdStart}.
     */
    public static final long TINY_PRODUCT = 512;

    /**
     * Products with {@code m·n·k} under this (2¹⁵, 32³) are not packed: {@code GemmRows} streams B
     * directly, since packing both operands would cost about as much as such a product. Not measured
     * on its own (commit c2556f5 chose it with the packed kernel). Retune with
     * {@code GemmSpeed} on cubes from 16³ to 48³.
     */
    public static final long SMALL_PRODUCT = 1L << 15;

    /**
     * Products with at most this many rows are not packed ({@code GemmRows}): batch-1 inference
     * would pack an 800 KB weight for one row. Batch-1 and batch-4 products, median µs per call,
     * packed → unpacked: x[1,784]·Wᵀ with W [256,784] 141 → 15–17; x[1,784]·W 100 → 15; x[4,784]·Wᵀ
     * 128 → 40–48; x[4,784]·W 112 → 25–27 (commit 0f7843d, docs/PERFORMANCE.md). Retune with
     * {@code soma bench infer} and {@code GemmSpeed NN:8,256,784}-style cases around the bound.
     */
    public static final int SKINNY_ROWS = 4;

    /**
     * Products {@code A·Bᵀ} with at most this many outputs ({@code m·n}) are dot products of rows,
     * not packed: a convolution's weight gradient (16×9 outputs, k = 29,008 for the reference CNN's
     * first layer) would copy all of B into mostly empty panels; it ran at 9 GFLOP/s packed and 31 as
     * dot products (commit 003e9c4). Retune with {@code GemmSpeed NT:16,9,29008} and neighbours.
     */
    public static final long FEW_OUTPUTS = 256;

    /**
     * Products {@code A·B} (B not transposed) with at most this many rows read B's full panels where
     * they lie instead of packing them ({@code GemmTilesInPlace.wideStrided}): with so few row tiles,
     * packing B costs nearly as much as the product. A convolution's W·X on one core, best of 3
     * runs: 32 × 1568 × 144 at 132–148 GFLOP/s against 90–106 packed, 16 × 12544 × 9 at 74–76 against
     * 52–55; but 64 × 784 × 256 (an MLP's ∂x) at 107–116 against 119–126 packed, so 64 rows are packed
     * (commit 64c3fb3). Retune with {@code SOMA_THREADS=1 GemmSpeed NN:32,1568,144 NN:64,784,256}.
     */
    public static final int DIRECT_B_ROWS = 32;

    /**
     * Products {@code A·B} (B not transposed) with k at most this read B's full panels where they lie,
     * whatever their rows, as {@link #DIRECT_B_ROWS}: a panel of B is then k rows of two cache lines
     * (64 × 128 bytes, 8 KB), which stay in L1 across all row tiles, so packing it only copies it.
     * The weight gradients of a batch-64 MLP (Gᵀ·x, k = 64) are these.
     */
    public static final int DIRECT_B_DEPTH = 64;

    // ---------------------------------------------------------------------------------------------
    // The matrix product: blocking (GotoBLAS's and BLIS's KC and MC)

    /**
     * The deepest block of k: the length of each accumulator chain between stores to C. A B panel of
     * 1024 × 32 floats (128 KB) no longer fits the 48 KB L1 and streams from L2, but every block of k
     * is one more pass over C (each tile loaded, added to and stored again), and those passes are
     * what large products lose to: at 2048³ on one core, the same product with its C tiles redirected
     * to one scratch tile in L1 (wrong results, for the measurement only) ran 21–28 % faster. Against
     * KC = 256 in alternating calls: 1.03–1.08× at 1000³, 1024³ and 2048³ on both cores, 1.03× on
     * 64×256×784 (k = 784 one block instead of four), ±1 % at 512³; KC = 128, 160, 192: 0.85–0.93×
     * of 256; KC = 512 or 2048: 1.00–1.04× of 1024. Changes the bits of products deeper than it
     * (where k's blocks are cut). Retune with {@code GemmSpeed sq1024 sq2048 fc1}, one core and two.
     */
    public static final int KC = 1024;

    /**
     * Rows of op(A) packed per block (its panels stay in L2 while every B panel of the block passes).
     * MC = 256 or 512 against 128, alternating: 1.00–1.03×, nothing beyond the host's swing (1024³
     * 155–248 against 197–255 GFLOP/s, 2048³ 169–221 against 183–213), so the smaller block stays.
     * Retune with {@code GemmSpeed sq1024 sq2048}.
     */
    public static final int MC = 128;

    /**
     * Products whose op(B) has at least this many floats (2¹⁹, 2 MB: a core's L2) share one packed
     * copy of B between the threads; smaller ones let each thread pack the panels it needs again.
     * Reading half of a shared packed B from the other core's cache cost the MLP's 64×256×784 product
     * about 15 % against each thread packing its own (commit a835a93); at 1024³ and 2048³ the
     * per-thread packing was 0.95–0.98× of the shared B. Set it to the L2 size in floats of the
     * machine to be tuned for. Retune with {@code GemmSpeed fc1 sq1024 sq2048} on two threads.
     */
    public static final long SHARED_B_FLOATS = 1L << 19;

    // ---------------------------------------------------------------------------------------------
    // Threads

    /**
     * Products with {@code m·n·k} from this on (2¹⁷) are split over the threads; smaller ones stay on
     * the caller, where a hand-off (a worker waking, its share of the product's set-up) would cost as
     * much as it saves. Not measured on its own (commit c2556f5); a 128³ product (2²¹) takes about
     * 15 µs on one core. Retune with {@code GemmSpeed} on cubes from 32³ to 80³, one thread and two.
     */
    public static final long PARALLEL_PRODUCT = 1L << 17;

    /**
     * How long an idle worker spins, in nanoseconds, before it parks: the layers of a training step
     * hand work over every few microseconds, and a spinning worker picks it up within a fraction of
     * one, where waking a parked one takes tens. Not measured on its own (commit c2556f5). Longer
     * spins burn a core that another process could use; retune with {@code soma bench mlp} on a
     * quiet machine and a loaded one.
     */
    public static final long WORKER_SPIN_NANOS = 50_000;

    /**
     * How long a caller spins, in nanoseconds, for parts still running on workers before it parks.
     * Not measured on its own (commit c2556f5); as {@link #WORKER_SPIN_NANOS}.
     */
    public static final long AWAIT_SPIN_NANOS = 20_000;

    /**
     * Adam's update runs on all workers for parameters from this many elements up. The update reads
     * and writes 28 bytes per parameter and is memory-bound: on the reference MLP it took 1.15 ms of
     * a 3.2 ms step, and 0.67 ms split over both cores (commit 7e6ef36). The threshold itself was
     * not measured: the MLP's parameters are 2¹⁵ elements and more, the biases far fewer. Retune with
     * {@code dev.soma.bench.StepTimes mlp}.
     */
    public static final int ADAM_PARALLEL_ELEMENTS = 1 << 15;

    /**
     * Max pooling runs on all workers, whole planes per part, for inputs from this many floats up
     * (commit 4852e54), so that a hand-off to a worker (a few µs at worst) is small against the
     * pooling. The threshold was not measured on its own. Retune with
     * {@code dev.soma.bench.StepTimes cnn} on a model whose pooling is not fused into its convolution.
     */
    public static final int POOLING_PARALLEL_FLOATS = 1 << 16;

    // ---------------------------------------------------------------------------------------------
    // The convolution

    /**
     * The floats of one convolution chunk's columns or product (2¹⁸, 1 MiB: half a core's L2),
     * unless one image alone needs more. A chunk's columns stay in L2 from the unfold through the
     * product and, backward, through fold, where the whole batch's (7 MB for the reference CNN's
     * second layer) went through memory three times (commit 3aa406e); chunks are sized by the larger
     * of columns and product since the first layer's 16-channel product overflowed L2
     * (docs/PERFORMANCE.md, "Where the time goes"). The size itself was not swept. Changes the bits of
     * the weight gradient (its per-chunk shares are summed in chunk order). Set it near half the L2 in
     * floats; retune with {@code soma bench cnn --epochs 2} (the second epoch's time).
     */
    public static final int CONVOLUTION_CHUNK_FLOATS = 1 << 18;

    // ---------------------------------------------------------------------------------------------
    // OpenBLAS (SOMA_BLAS)

    /**
     * With {@code SOMA_BLAS=openblas}, products with {@code m·n·k} from this on (2¹⁶) go to OpenBLAS;
     * smaller ones stay in Java, as a call into OpenBLAS costs about 0.8 µs however small the
     * product. Square products, OpenBLAS's SkylakeX kernels against Java's, one JVM, median µs: 8³
     * 0.80 against 0.33, 32³ = 2¹⁵ 1.40 against 1.02, 48³ 3.23 against 3.92, 64³ 5.48 against 7.08
     * (commit bbe997e). Retune with {@code SOMA_BLAS=openblas GemmSpeed} on cubes from 32³ to 64³.
     */
    public static final long OPENBLAS_PRODUCT = 1L << 16;
}

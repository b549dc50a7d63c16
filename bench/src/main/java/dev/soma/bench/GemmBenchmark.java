package dev.soma.bench;

import dev.soma.tensor.kernel.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C = op(A)·op(B)} with the active kernels, for square sizes, odd sizes and the MLP's training
 * products (batch 64, 784-256-128), each with A and/or B transposed. GFLOP/s is
 * {@code 2·m·n·k / time}; {@link GemmSpeed} prints it directly, timed as the PyTorch peer is.
 *
 * <pre>
 * java -jar bench/target/soma-bench.jar GemmBenchmark
 * java -jar bench/target/soma-bench.jar GemmBenchmark -p shape=1024,64x256x784 -p trans=NN,NT
 * </pre>
 * SOMA_KERNELS=scalar measures the scalar kernels; SOMA_THREADS=1 one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    /**
     * {@code n} for an n×n·n×n product, or {@code m x n x k} for {@code [m, k]·[k, n]}: 64x256x784 and
     * 64x128x256 are the forward products of the MLP's two hidden layers, 784x256x64 its first
     * weight gradient (with trans=TN: {@code xᵀ·g}).
     */
    @Param({"128", "256", "512", "1024", "2048", "200", "1000", "64x256x784", "64x128x256", "784x256x64"})
    String shape;

    /** Whether A and B are stored transposed: NN, NT ({@code A·Bᵀ}), TN ({@code Aᵀ·B}) or TT. */
    @Param({"NN", "NT", "TN", "TT"})
    String trans;

    int m;
    int n;
    int k;
    boolean transA;
    boolean transB;
    float[] a;
    float[] b;
    float[] c;
    Kernels kernels;

    @Setup
    public void setup() {
        String[] sizes = shape.split("x");
        m = Integer.parseInt(sizes[0]);
        n = sizes.length == 3 ? Integer.parseInt(sizes[1]) : m;
        k = sizes.length == 3 ? Integer.parseInt(sizes[2]) : m;
        if (!trans.matches("[NT][NT]")) {
            throw new IllegalArgumentException("trans must be NN, NT, TN or TT, got " + trans);
        }
        transA = trans.charAt(0) == 'T';
        transB = trans.charAt(1) == 'T';
        SplittableRandom random = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble(-1, 1);
        }
        kernels = Kernels.active();
    }

    /** Returns C so the JIT cannot drop the work. */
    @Benchmark
    public float[] gemm() {
        kernels.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        return c;
    }
}

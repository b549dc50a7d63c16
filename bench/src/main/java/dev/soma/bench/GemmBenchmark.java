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
 * {@code C = A·B} for square n×n matrices with the active kernels. Run it with
 * {@code java -jar bench/target/soma-bench.jar GemmBenchmark}; SOMA_KERNELS=scalar compares the
 * scalar kernels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    @Param({"128", "256"})
    int n;

    float[] a;
    float[] b;
    float[] c;
    Kernels kernels;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
            b[i] = (float) random.nextDouble(-1, 1);
        }
        kernels = Kernels.active();
    }

    /** Returns C so the JIT cannot drop the work. */
    @Benchmark
    public float[] gemm() {
        kernels.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        return c;
    }
}

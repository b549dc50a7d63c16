package dev.soma.bench;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.UnaryOp;
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
 * The kernels under every elementwise op and reduction, on one thread: {@code map} (relu, exp, tanh,
 * sigmoid, erf), {@code zip} (add, mul, and relu's backward {@code PASS_IF_POSITIVE}) and {@code sum}, on
 * the active (SIMD) kernels and on the scalar reference, at a size that stays in L1 (4,096 floats),
 * one in L2 (65,536) and one in memory (4,194,304). ns per call; divide n by it for floats per ns,
 * and multiply by 8 (map, sum: one float read, one written or none) or 12 (zip) for GB/s.
 *
 * <pre>
 * java -jar bench/target/soma-bench.jar ElementwiseBenchmark
 * java -jar bench/target/soma-bench.jar ElementwiseBenchmark -p n=65536 -p kernels=active
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {

    /** Floats per call. */
    @Param({"4096", "65536", "4194304"})
    int n;

    /** {@code active} (the SIMD kernels, as Soma runs) or {@code scalar} (the reference). */
    @Param({"active", "scalar"})
    String kernels;

    float[] x;
    float[] y;
    float[] out;
    Kernels k;

    @Setup
    public void setup() {
        k = kernels.equals("scalar") ? Kernels.scalar() : Kernels.active();
        SplittableRandom random = new SplittableRandom(1);
        x = new float[n];
        y = new float[n];
        out = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() * 8 - 4);
            y[i] = (float) (random.nextDouble() * 8 - 4);
        }
    }

    @Benchmark
    public float[] relu() {
        k.map(UnaryOp.RELU, x, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] exp() {
        k.map(UnaryOp.EXP, x, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] tanh() {
        k.map(UnaryOp.TANH, x, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] sigmoid() {
        k.map(UnaryOp.SIGMOID, x, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] erf() {
        k.map(UnaryOp.ERF, x, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] add() {
        k.zip(BinaryOp.ADD, x, 0, 1, y, 0, 1, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] mul() {
        k.zip(BinaryOp.MUL, x, 0, 1, y, 0, 1, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] passIfPositive() {
        k.zip(BinaryOp.PASS_IF_POSITIVE, x, 0, 1, y, 0, 1, out, 0, n);
        return out;
    }

    @Benchmark
    public float sum() {
        return k.sum(x, 0, n);
    }
}

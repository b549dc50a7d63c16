package dev.soma.bench;

import dev.soma.nn.BCELoss;
import dev.soma.nn.Sequential;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.XorProblem;
import java.util.Locale;

/**
 * Where a fresh JVM's first XOR steps go: the reference loop of {@code soma bench xor}
 * ({@link XorProblem}, 5000 steps) run once, with the first step's phases timed apart and the
 * mean step time between marks (1, 2, 10, 100, 1000, 5000 steps). Everything is printed after the
 * loop, so no formatting code runs inside it. A profiling aid for the cold rate, not a benchmark
 * against a peer: {@code soma bench xor} is that.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp bench/target/soma-bench.jar dev.soma.bench.XorColdStart
 * </pre>
 */
public final class XorColdStart {

    private static final int STEPS = 5000;
    private static final int[] MARKS = {1, 2, 10, 100, 1000, STEPS};

    private XorColdStart() {
    }

    public static void main(String[] args) {
        XorProblem xor = new XorProblem(new Generator(0));
        Tensor x = xor.inputs();
        Tensor y = xor.targets();
        Sequential model = xor.network();
        BCELoss lossFn = xor.loss();
        SGD optimizer = xor.optimizer();
        long[] phases = new long[5];
        long[] atMark = new long[MARKS.length];
        int mark = 0;
        long start = System.nanoTime();
        Tensor loss = null;
        for (int step = 1; step <= STEPS; step++) {
            boolean first = step == 1;
            if (first) {
                phases[0] = System.nanoTime();
            }
            optimizer.zeroGrad();
            if (first) {
                phases[1] = System.nanoTime();
            }
            loss = lossFn.forward(model.forward(x), y);
            if (first) {
                phases[2] = System.nanoTime();
            }
            loss.backward();
            if (first) {
                phases[3] = System.nanoTime();
            }
            optimizer.step();
            if (first) {
                phases[4] = System.nanoTime();
            }
            if (step == MARKS[mark]) {
                atMark[mark++] = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        System.out.printf(Locale.ROOT, "first step: zeroGrad %.2f ms, forward %.2f ms, backward %.2f ms, step %.2f ms%n",
                (phases[1] - phases[0]) / 1e6, (phases[2] - phases[1]) / 1e6, (phases[3] - phases[2]) / 1e6,
                (phases[4] - phases[3]) / 1e6);
        for (int i = 0; i < MARKS.length; i++) {
            int from = i == 0 ? 0 : MARKS[i - 1];
            long since = i == 0 ? start : atMark[i - 1];
            System.out.printf(Locale.ROOT, "steps %d-%d: %.1f µs per step%n", from + 1, MARKS[i],
                    (atMark[i] - since) / 1e3 / (MARKS[i] - from));
        }
        System.out.printf(Locale.ROOT, "%d steps in %.1f ms: %.0f steps/s, final loss %.6f%n", STEPS,
                (end - start) / 1e6, STEPS / ((end - start) / 1e9), loss.item());
    }
}

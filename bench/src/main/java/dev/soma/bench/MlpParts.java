package dev.soma.bench;

import dev.soma.nn.Models;
import dev.soma.nn.Sequential;
import dev.soma.optim.Adam;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.tensor.kernel.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The parts of the reference MLP's training step (batch 64, 784–256–128–10) timed one by one, in the
 * order a step runs them, round after round: the eight matrix products with their layouts (the
 * forward x·Wᵀ accumulated onto the bias, the input and weight gradients, each output freshly
 * allocated as in {@code Fused.linear}), the divergence check ({@code allFinite} over every
 * gradient) and {@code Adam.step}. Medians and first quartiles over the last three quarters of the
 * rounds. A/B comparisons run two jars in turn (docs/PERFORMANCE.md).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn64m -cp bench/target/soma-bench.jar dev.soma.bench.MlpParts [rounds]
 * </pre>
 */

public final class MlpParts {

    private MlpParts() {
    }

    record P(String name, boolean ta, boolean tb, int m, int n, int k, boolean acc) {}
    static final P[] PS = {
        new P("fwd1 NT 64x256x784", false, true, 64, 256, 784, true),
        new P("fwd2 NT 64x128x256", false, true, 64, 128, 256, true),
        new P("fwd3 NT 64x10x128", false, true, 64, 10, 128, true),
        new P("dx3  NN 64x128x10", false, false, 64, 128, 10, false),
        new P("dW3  TN 10x128x64", true, false, 10, 128, 64, false),
        new P("dx2  NN 64x256x128", false, false, 64, 256, 128, false),
        new P("dW2  TN 128x256x64", true, false, 128, 256, 64, false),
        new P("dW1  TN 256x784x64", true, false, 256, 784, 64, false),
    };
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "4000");
        Kernels K = Kernels.active();
        Random r = new Random(1);
        float[][] A = new float[PS.length][], B = new float[PS.length][];
        for (int i = 0; i < PS.length; i++) {
            A[i] = rnd(r, PS[i].m * PS[i].k); B[i] = rnd(r, PS[i].k * PS[i].n);
        }
        Sequential model = Models.forMnist("mlp").build(new Generator(0));
        Adam adam = new Adam(model.parameters());
        List<Tensor> params = model.parameters();
        long[][] t = new long[PS.length + 2][rounds];
        for (int it = 0; it < rounds; it++) {
            for (int i = 0; i < PS.length; i++) {
                P p = PS[i];
                long t0 = System.nanoTime();
                float[] c = new float[p.m * p.n];
                int lda = p.ta ? p.m : p.k, ldb = p.tb ? p.k : p.n;
                K.gemm(p.ta, p.tb, p.m, p.n, p.k, A[i], 0, lda, B[i], 0, ldb, c, 0, p.n, p.acc);
                t[i][it] = System.nanoTime() - t0;
            }
            for (Tensor q : params) q.setGrad(Tensor.zeros(q.shape()).add(0.001f));
            long t0 = System.nanoTime();
            boolean ok = true;
            for (Tensor q : params) ok &= q.grad().allFinite();
            long t1 = System.nanoTime();
            adam.step();
            long t2 = System.nanoTime();
            t[PS.length][it] = t1 - t0; t[PS.length + 1][it] = t2 - t1;
            if (!ok) throw new AssertionError();
        }
        double total = 0;
        for (int i = 0; i < t.length; i++) {
            long[] x = Arrays.copyOfRange(t[i], rounds / 4, rounds); Arrays.sort(x);
            double med = x[x.length / 2] / 1e3;
            total += med;
            String name = i < PS.length ? PS[i].name : i == PS.length ? "allFinite" : "adam.step";
            double gf = i < PS.length ? 2.0 * PS[i].m * PS[i].n * PS[i].k / (med * 1e3) : 0;
            System.out.printf(Locale.ROOT, "%-22s median %7.1f us  p25 %7.1f  %6.1f GFLOP/s%n", name, med, x[x.length / 4] / 1e3, gf);
        }
        System.out.printf(Locale.ROOT, "sum of medians %.1f us%n", total);
    }
    static float[] rnd(Random r, int n) { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = r.nextFloat() - 0.5f; return a; }
}

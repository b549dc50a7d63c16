package dev.soma.bench;

import dev.soma.nn.Losses;
import dev.soma.nn.Models;
import dev.soma.nn.Reduction;
import dev.soma.nn.Sequential;
import dev.soma.optim.Adam;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a training step's time goes: forward, backward and {@code Adam.step} of a built-in model
 * ({@code mlp} or {@code cnn}) on one random batch of 64, timed over the last three quarters of the
 * steps (the first quarter warms the JIT up), with the process's CPU time beside the wall time (on a
 * shared machine the two differ). A profiling aid, not a benchmark against a peer: {@code soma bench}
 * is that.
 *
 * <p>With a third argument N, it also prints the mean step time of every N steps from the first, with
 * the seconds since the first began: the JIT's warm-up, step by step.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/soma-bench.jar dev.soma.bench.StepTimes [cnn|mlp] [steps] [N]
 * </pre>
 */
public final class StepTimes {

    private StepTimes() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "cnn";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Generator generator = new Generator(0);
        Sequential model = Models.forMnist(name).build(generator);
        Adam optimizer = new Adam(model.parameters());
        int[] input = Models.forMnist(name).input();
        int[] batch = new int[input.length + 1];
        batch[0] = 64;
        System.arraycopy(input, 0, batch, 1, input.length);
        Tensor x = Tensor.rand(generator, batch);
        Tensor y = Tensor.randint(generator, 0, 10, 64);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long forward = 0;
        long backward = 0;
        long step = 0;
        long cpu = 0;
        long start = System.nanoTime();
        long blockStart = start;
        for (int i = 0; i < steps; i++) {
            if (i == steps / 4) {
                forward = backward = step = 0;
                cpu = os.getProcessCpuTime();
            }
            long t0 = System.nanoTime();
            optimizer.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.forward(x), y, Reduction.MEAN);
            long t1 = System.nanoTime();
            loss.backward();
            long t2 = System.nanoTime();
            optimizer.step();
            long t3 = System.nanoTime();
            forward += t1 - t0;
            backward += t2 - t1;
            step += t3 - t2;
            if (every > 0 && (i + 1) % every == 0) {
                System.out.printf(Locale.ROOT, "steps %d-%d: %.1f ms per step (%.2f s since the first)%n",
                        i + 2 - every, i + 1, (t3 - blockStart) / 1e6 / every, (t3 - start) / 1e9);
                blockStart = t3;
            }
        }
        int timed = steps - steps / 4;
        System.out.printf(Locale.ROOT, "%s, batch 64, %d timed steps: forward %.2f ms, backward %.2f ms, step %.2f ms,"
                + " total %.2f ms (process CPU %.2f ms) per step%n", name, timed, forward / 1e6 / timed,
                backward / 1e6 / timed, step / 1e6 / timed, (forward + backward + step) / 1e6 / timed,
                (os.getProcessCpuTime() - cpu) / 1e6 / timed);
    }
}

package dev.soma.bench;

import dev.soma.tensor.kernel.Kernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Scanner;
import java.util.SplittableRandom;

/**
 * GFLOP/s of the active kernels' gemm, timed as the PyTorch peer is ({@code gemm_peer.py} beside this
 * file): 3 warm-up calls, then at least 10 calls and 1 s, GFLOP/s = 2mnk / median time. Each case
 * first runs for about 2 s so that C2 has compiled the kernel. One line per case, then a JSON line.
 * With {@code --quiet}, each case is timed again in a second when no other process is busy (Linux);
 * with {@code --serve}, cases are read from standard input (see {@link #serve}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/soma-bench.jar dev.soma.bench.GemmSpeed [--quiet] [case ...]
 * </pre>
 * A case is a name from {@link #CASES} ({@code sq1024}, {@code fc1}, ...) or {@code TT:m,n,k} with TT
 * one of NN, NT, TN, TT (A and B transposed or not); no arguments runs every case in {@link #CASES}.
 */
public final class GemmSpeed {

    /** A product {@code C[m, n] = op(A)·op(B)} with k the inner dimension. */
    record Case(String name, boolean transA, boolean transB, int m, int n, int k) {
        static Case parse(String text) {
            for (Case known : CASES) {
                if (known.name.equals(text)) {
                    return known;
                }
            }
            String[] parts = text.split(":");
            if (parts.length != 2 || !parts[0].matches("[NT][NT]")) {
                throw new IllegalArgumentException("expected a case name or TT:m,n,k, got " + text);
            }
            int[] mnk = Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
            return new Case(text, parts[0].charAt(0) == 'T', parts[0].charAt(1) == 'T', mnk[0], mnk[1], mnk[2]);
        }
    }

    /** The square sizes, the MLP's training products (batch 64, 784-256-128) and odd sizes. */
    static final List<Case> CASES = List.of(
            new Case("sq128", false, false, 128, 128, 128),
            new Case("sq256", false, false, 256, 256, 256),
            new Case("sq512", false, false, 512, 512, 512),
            new Case("sq1024", false, false, 1024, 1024, 1024),
            new Case("sq2048", false, false, 2048, 2048, 2048),
            new Case("sq200", false, false, 200, 200, 200),
            new Case("sq1000", false, false, 1000, 1000, 1000),
            // x [64, 784] · W1 [784, 256], h [64, 256] · W2 [256, 128]
            new Case("fc1", false, false, 64, 256, 784),
            new Case("fc2", false, false, 64, 128, 256),
            // x · Wᵀ with W [256, 784] (PyTorch's Linear layout)
            new Case("fc1_NT", false, true, 64, 256, 784),
            // xᵀ · g with x [64, 784], g [64, 256]: the weight gradient
            new Case("fc1_TN", true, false, 784, 256, 64),
            new Case("sq1024_NT", false, true, 1024, 1024, 1024),
            new Case("sq1024_TN", true, false, 1024, 1024, 1024),
            new Case("sq1024_TT", true, true, 1024, 1024, 1024));

    private GemmSpeed() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Case> cases = new ArrayList<>();
        boolean quiet = false;
        for (String arg : args) {
            if (arg.equals("--serve")) {
                serve();
                return;
            } else if (arg.equals("--quiet")) {
                quiet = true;
            } else {
                cases.add(Case.parse(arg));
            }
        }
        if (cases.isEmpty()) {
            cases.addAll(CASES);
        }
        Kernels kernels = Kernels.active();
        System.out.println("kernels: " + kernels.name());
        StringBuilder json = new StringBuilder("{");
        for (Case x : cases) {
            Runnable call = prepare(kernels, x);
            double[] result = timed(call, x);
            for (int attempt = 1; quiet && attempt <= QUIET_ATTEMPTS; attempt++) {
                long[] before = OtherProcesses.waitUntilQuiet();
                result = timed(call, x);
                double others = OtherProcesses.share(before);
                if (others <= OtherProcesses.QUIET) {
                    break;
                }
                System.out.printf(Locale.ROOT, "  %s: other processes used %.0f%% of the CPUs, measuring again%n",
                        x.name, 100 * others);
            }
            double gflops = result[0];
            System.out.printf(Locale.ROOT, "%-12s %s%s m=%-5d n=%-5d k=%-5d %8.1f GFLOP/s (best %.1f)%n", x.name,
                    x.transA ? "T" : "N", x.transB ? "T" : "N", x.m, x.n, x.k, gflops, result[1]);
            json.append(json.length() > 1 ? ", " : "").append('"').append(x.name).append("\": ")
                    .append(String.format(Locale.ROOT, "%.1f", gflops));
        }
        System.out.println(json.append('}'));
    }

    /**
     * Reads case names from standard input and answers each with {@code name median best} (GFLOP/s);
     * a case is prepared (and compiled) the first time it is asked for. {@code gemm_compare.py} drives
     * this and {@code gemm_peer.py --serve} in turn, so that both sides meet the same load.
     */
    static void serve() {
        Kernels kernels = Kernels.active();
        Map<String, Runnable> prepared = new HashMap<>();
        Scanner input = new Scanner(System.in, StandardCharsets.UTF_8);
        System.out.println("ready " + kernels.name());
        while (input.hasNextLine()) {
            String line = input.nextLine().trim();
            if (line.isEmpty()) {
                continue;
            }
            Case x = Case.parse(line);
            Runnable call = prepared.computeIfAbsent(line, name -> prepare(kernels, x));
            double[] result = timed(call, x);
            System.out.printf(Locale.ROOT, "%s %.2f %.2f%n", line, result[0], result[1]);
        }
    }

    /** Tries to measure a case on a quiet machine (with --quiet) before the last result is kept. */
    private static final int QUIET_ATTEMPTS = 5;

    /** The product of one case on fresh random data, called for about 2 s so that C2 has compiled it. */
    static Runnable prepare(Kernels kernels, Case x) {
        SplittableRandom random = new SplittableRandom(0);
        float[] a = randomMatrix(random, x.m * x.k);
        float[] b = randomMatrix(random, x.k * x.n);
        float[] c = new float[x.m * x.n];
        int lda = x.transA ? x.m : x.k;
        int ldb = x.transB ? x.k : x.n;
        Runnable call = () -> kernels.gemm(x.transA, x.transB, x.m, x.n, x.k, a, 0, lda, b, 0, ldb, c, 0, x.n, false);
        long compileUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < compileUntil) {
            call.run();
        }
        return call;
    }

    /** GFLOP/s of one case: 3 warm-up calls, then at least 10 calls and 1 s; the median and the best call. */
    static double[] timed(Runnable call, Case x) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        List<Long> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < 10 || System.nanoTime() - start < 1_000_000_000L) {
            long t0 = System.nanoTime();
            call.run();
            times.add(System.nanoTime() - t0);
        }
        times.sort(null);
        double flops = 2.0 * x.m * x.n * x.k;
        return new double[] {flops / times.get(times.size() / 2), flops / times.get(0)};
    }

    /**
     * The CPU time other processes take, from Linux's {@code /proc/stat} (all CPUs) less this process's
     * own ({@code /proc/self/stat}), in clock ticks; on a machine shared with other work, --quiet waits
     * for a quiet second before measuring and measures again when others were busy meanwhile.
     */
    static final class OtherProcesses {
        /** The largest share of the CPUs others may use while a case is timed. */
        static final double QUIET = 0.05;
        private static final long MAX_WAIT_NANOS = 600_000_000_000L;

        /** {all ticks, busy ticks, this process's ticks}, or zeros where /proc is not readable. */
        static long[] ticks() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i <= 8 && i < cpu.length; i++) {
                    total += Long.parseLong(cpu[i]);
                }
                long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
                String self = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
                long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                return new long[] {total, total - idle, own};
            } catch (IOException | RuntimeException e) {
                return new long[3];
            }
        }

        /** Others' share of all CPUs since {@code before}. */
        static double share(long[] before) {
            long[] now = ticks();
            long total = now[0] - before[0];
            long others = (now[1] - before[1]) - (now[2] - before[2]);
            return total <= 0 ? 0 : Math.max(0, others) / (double) total;
        }

        /** Waits (up to 10 minutes) for a second in which others used at most {@link #QUIET}; returns ticks. */
        static long[] waitUntilQuiet() throws InterruptedException {
            long give = System.nanoTime() + MAX_WAIT_NANOS;
            while (true) {
                long[] before = ticks();
                Thread.sleep(1000);
                if (share(before) <= QUIET || System.nanoTime() > give) {
                    return ticks();
                }
            }
        }
    }

    private static float[] randomMatrix(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}

package dev.soma.app;

import dev.soma.data.DataLoader;
import dev.soma.data.ImageDataset;
import dev.soma.data.Mnist;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Linear;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.optim.Adam;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import dev.soma.train.Warmup;
import dev.soma.train.XorProblem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code soma bench}: Soma's side of the reference workloads in {@code bench/pytorch} (the PyTorch
 * scripts), with the same model, data, batch size, optimizer, seed policy and timing rule, printing
 * the same JSON fields so the two can be compared line by line.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Run Soma's side of the reference benchmarks: gemm, mlp, cnn, xor, infer or all.",
            "Each prints what it measured and, with --json, one JSON object as the last line.",
            "scripts/bench runs PyTorch's side too and prints the ratios."})
public final class BenchCommand implements Callable<Integer> {

    static final List<String> NAMES = List.of("gemm", "mlp", "cnn", "xor", "infer");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "gemm, mlp, cnn, xor, infer or all.")
    String workload;

    @Mixin
    Options.Json json;

    @Option(names = "--epochs", paramLabel = "N", description = "mlp and cnn: epochs (default: 2 for mlp, 1 for cnn).")
    Integer epochs;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", defaultValue = "adam",
            description = "mlp: adam (lr 1e-3) or sgd (lr 0.05, momentum 0.9) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--sizes", split = ",", paramLabel = "N", defaultValue = "128,256,512,1024,2048",
            description = "gemm: the square sizes (default: ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5000", description = "xor: steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--calls", paramLabel = "N", defaultValue = "10000",
            description = "infer: timed batch-1 calls (default: ${DEFAULT-VALUE}).")
    int calls;

    @Override
    public Integer call() throws Exception {
        if (!workload.equals("all") && !NAMES.contains(workload)) {
            throw new ParameterException(spec.commandLine(), "unknown workload '" + workload
                    + "' (expected " + String.join(", ", NAMES) + " or all)");
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new ParameterException(spec.commandLine(), "--optimizer must be adam or sgd, got '" + optimizer + "'");
        }
        if (epochs != null && epochs < 1 || steps < 1 || calls < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs, --steps and --calls must be ≥ 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        for (String name : workload.equals("all") ? NAMES : List.of(workload)) {
            Map<String, Object> result = switch (name) {
                case "gemm" -> gemm(out);
                case "mlp" -> train(out, "mlp", epochs != null ? epochs : 2);
                case "cnn" -> train(out, "cnn", epochs != null ? epochs : 1);
                case "xor" -> xor(out);
                case "infer" -> infer(out);
                default -> throw new IllegalStateException(name);
            };
            result.put("kernels", Kernels.active().name());
            result.put("peak_rss_mib", round(PeakMemory.mebibytes(), 1));
            results.add(result);
            out.flush();
        }
        if (json.enabled) {
            out.println(Json.line(results.size() == 1 ? results.getFirst() : Map.of("results", results)));
        }
        out.flush();
        return 0;
    }

    /** C = A·B for square float32 matrices: GFLOP/s = 2n³ / median time of ≥ 10 runs after warm-up. */
    private Map<String, Object> gemm(PrintWriter out) {
        Kernels kernels = Kernels.active();
        Generator generator = new Generator(0);
        Map<String, Object> bySize = new LinkedHashMap<>();
        for (int n : sizes) {
            if (n < 1) {
                throw new ParameterException(spec.commandLine(), "--sizes must be ≥ 1, got " + n);
            }
            float[] a = Tensor.randn(generator, n, n).toArray();
            float[] b = Tensor.randn(generator, n, n).toArray();
            float[] c = new float[n * n];
            Runnable product = () -> kernels.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            double flops = 2.0 * n * n * n;
            long warmUpUntil = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warmUpUntil) {
                product.run();
            }
            List<Long> times = new ArrayList<>();
            long start = System.nanoTime();
            while (times.size() < 10 || (System.nanoTime() - start < 2_000_000_000L && times.size() < 1000)) {
                long t0 = System.nanoTime();
                product.run();
                times.add(System.nanoTime() - t0);
            }
            times.sort(null);
            double median = times.get(times.size() / 2) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("gflops", round(flops / median / 1e9, 2));
            r.put("median_s", round(median, 6));
            r.put("min_s", round(times.getFirst() / 1e9, 6));
            r.put("reps", times.size());
            bySize.put(Integer.toString(n), r);
            out.printf(Locale.ROOT, "gemm n=%d: %.1f GFLOP/s (median of %d)%n", n, flops / median / 1e9, times.size());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "gemm");
        result.put("results", bySize);
        return result;
    }

    /** Fashion-MNIST training as mlp.py / cnn.py: seconds of each epoch's training loop, test accuracy after it. */
    private Map<String, Object> train(PrintWriter out, String model, int epochCount) throws Exception {
        boolean sgd = model.equals("mlp") && optimizer.equals("sgd");
        Function<Module, Trainer> trainerOf = network -> new Trainer(network, new CrossEntropyLoss(),
                sgd ? SGD.builder(network.parameters(), 0.05).momentum(0.9).build()
                        : Adam.builder(network.parameters()).lr(1e-3).build(), Metric.multiclassAccuracy());
        ImageDataset trainSet;
        ImageDataset testSet;
        // With SOMA_WARMUP=on, a stand-in trains while the data loads (Warmup), as in `soma train`.
        try (Warmup warmup = !Warmup.enabled() ? null
                : Warmup.start(() -> trainerOf.apply(Models.forMnist(model).build(new Generator(1))),
                        new int[] {1, 28, 28}, Mnist.FASHION_CLASSES.size(), 64)) {
            trainSet = Mnist.load("fashion-mnist", Mnist.locate("fashion-mnist"), Mnist.Split.TRAIN);
            testSet = Mnist.load("fashion-mnist", Mnist.locate("fashion-mnist"), Mnist.Split.TEST);
        }
        Module network = Models.forMnist(model).build(new Generator(0));
        Trainer trainer = trainerOf.apply(network);
        DataLoader loader = DataLoader.builder(trainSet).batchSize(64).shuffle(true).generator(new Generator(0))
                .prefetch(true).build();
        History history = trainer.fit(loader, testSet, epochCount);
        double[] seconds = Arrays.stream(history.epochSeconds()).map(s -> round(s, 3)).toArray();
        double[] accuracy = Arrays.stream(history.validationAccuracy()).map(a -> round(a, 4)).toArray();
        double[] loss = Arrays.stream(history.trainLoss()).map(l -> round(l, 4)).toArray();
        out.printf(Locale.ROOT, "%s: epoch seconds %s, test accuracy %s%n", model, Arrays.toString(seconds),
                Arrays.toString(accuracy));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", model);
        if (model.equals("mlp")) {
            result.put("optimizer", optimizer);
        }
        result.put("epoch_seconds", seconds);
        result.put("test_accuracy", accuracy);
        result.put("train_loss", loss);
        return result;
    }

    /**
     * xor.py: {@link XorProblem} (2-4-1, tanh hidden, sigmoid output, BCE, the four points as one
     * batch, SGD lr 0.5). The first run, from a cold JVM (JIT warm-up included), is reported as
     * {@code cold_steps_per_second}; then the same workload runs untimed for 2 s and
     * {@value #XOR_WARM_RUNS} more times on fresh models from the same seed, and the median of those
     * is {@code steps_per_second} (JMH practice).
     */
    private Map<String, Object> xor(PrintWriter out) {
        XorRun cold = xorRun();
        long warmUpUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmUpUntil) {
            xorRun(); // untimed: lets the JIT finish compiling the step
        }
        List<XorRun> warm = new ArrayList<>();
        for (int i = 0; i < XOR_WARM_RUNS; i++) {
            warm.add(xorRun());
        }
        warm.sort(java.util.Comparator.comparingDouble(XorRun::seconds));
        XorRun run = warm.get(warm.size() / 2);
        double seconds = run.seconds();
        out.printf(Locale.ROOT, "xor: %,.0f steps/s (%.2f µs per step) warm, %,.0f steps/s cold (first run),"
                + " final loss %.6f%n", steps / seconds, seconds / steps * 1e6, steps / cold.seconds(), run.finalLoss());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "xor");
        result.put("steps", steps);
        result.put("total_seconds", round(seconds, 4));
        result.put("steps_per_second", round(steps / seconds, 1));
        result.put("us_per_step", round(seconds / steps * 1e6, 2));
        result.put("cold_steps_per_second", round(steps / cold.seconds(), 1));
        result.put("cold_us_per_step", round(cold.seconds() / steps * 1e6, 2));
        result.put("warm_runs", XOR_WARM_RUNS);
        result.put("final_loss", round(run.finalLoss(), 6));
        result.put("predictions", run.predictions());
        return result;
    }

    private static final int XOR_WARM_RUNS = 5;

    private record XorRun(double seconds, double finalLoss, float[] predictions) {
    }

    /** One timed run of {@link #steps} XOR training steps on a fresh model (seed 0). */
    private XorRun xorRun() {
        XorProblem xor = new XorProblem(new Generator(0));
        long t0 = System.nanoTime();
        Tensor loss = null;
        for (int step = 0; step < steps; step++) {
            loss = xor.step();
        }
        double finalLoss = loss.item();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new XorRun(seconds, finalLoss, xor.predictions());
    }

    /** infer.py: MLP 784-256-128-10 in evaluation mode; batch-1 latency percentiles, batch-256 throughput. */
    private Map<String, Object> infer(PrintWriter out) {
        Generator generator = new Generator(0);
        Sequential model = new Sequential(new Linear(784, 256, generator), new ReLU(),
                new Linear(256, 128, generator), new ReLU(), new Linear(128, 10, generator));
        model.eval();
        Tensor x1 = Tensor.rand(generator, 1, 784);
        Tensor x256 = Tensor.rand(generator, 256, 784);
        long[] latencies = new long[calls];
        int batchCalls = 0;
        double batchSeconds;
        try (NoGrad scope = NoGrad.enter()) {
            for (int i = 0; i < 1000; i++) {
                model.forward(x1);
            }
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                model.forward(x1);
                latencies[i] = System.nanoTime() - t0;
            }
            for (int i = 0; i < 50; i++) {
                model.forward(x256);
            }
            long t0 = System.nanoTime();
            while (batchCalls < 200 || System.nanoTime() - t0 < 2_000_000_000L) {
                model.forward(x256);
                batchCalls++;
            }
            batchSeconds = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(latencies);
        double median = quantileMicros(latencies, 0.5);
        double throughput = 256.0 * batchCalls / batchSeconds;
        out.printf(Locale.ROOT, "infer: batch 1 median %.2f µs; batch 256 %,.0f samples/s%n", median, throughput);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "infer");
        result.put("batch1_median_us", round(median, 2));
        result.put("batch1_p10_us", round(quantileMicros(latencies, 0.1), 2));
        result.put("batch1_p90_us", round(quantileMicros(latencies, 0.9), 2));
        result.put("batch1_p99_us", round(quantileMicros(latencies, 0.99), 2));
        result.put("batch1_calls", calls);
        result.put("batch256_samples_per_s", round(throughput, 1));
        result.put("batch256_calls", batchCalls);
        result.put("batch256_ms_per_call", round(batchSeconds / batchCalls * 1e3, 3));
        return result;
    }

    /** The q-quantile as infer.py takes it: element ⌊q·n⌋ of the sorted times. */
    private static double quantileMicros(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1000.0;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}

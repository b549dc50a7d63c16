package dev.soma.app;

import dev.soma.app.plot.Chart;
import dev.soma.app.plot.Figure;
import dev.soma.data.DataLoader;
import dev.soma.data.Mnist;
import dev.soma.io.Checkpoint;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.nn.Softmax;
import dev.soma.optim.Adam;
import dev.soma.optim.Optimizer;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.train.Callback;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.ProgressLogger;
import dev.soma.train.Trainer;
import dev.soma.train.TrainingLoop;
import dev.soma.train.Warmup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soma train}: trains a classifier on real or toy data and saves it as safetensors. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a classifier (cross-entropy loss) and report the test accuracy each epoch.",
            "Example: soma train --data fashion-mnist --model cnn --save cnn.safetensors"})
public class TrainCommand implements Callable<Integer> {

    /** Optimizers, with their default learning rates (those of the reference benchmarks). */
    enum OptimizerChoice {
        adam(1e-3), sgd(0.05);

        final double defaultLr;

        OptimizerChoice(double defaultLr) {
            this.defaultLr = defaultLr;
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "mlp|cnn|SPEC.json", defaultValue = "mlp",
            description = "A built-in model (mlp: 784-256-128-10 ReLU; cnn: two conv layers) or a model spec file"
                    + " (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", defaultValue = "adam",
            description = "adam, or sgd with momentum 0.9 (default: ${DEFAULT-VALUE}).")
    OptimizerChoice optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.001 for adam, 0.05 for sgd).")
    Double lr;

    @Option(names = "--save", paramLabel = "FILE.safetensors", description = "Save the trained model here.")
    Path save;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Write a checkpoint here after each epoch (Ctrl-C writes one anyway).")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "With --checkpoint: also every N steps (default: each epoch only).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run checkpointed in DIR, with its settings.")
    Path resume;

    // NOTE: the options that train, eval and demo share are written once, in Options; each command
    // still names the mixins it takes, so these lines repeat from command to command.
    @Mixin
    Options.Seed seed;

    @Mixin
    Options.Plot plot;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        Checkpoint.Loaded resumed = resume == null ? null : Checkpoint.read(resume);
        if (resumed != null) {
            TrainSettings.apply(resumed.settings(), this, resume);
        }
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        DataOptions.Loaded loaded;
        try (Warmup warmup = warmup()) {
            loaded = data.load(seed.value);
        }
        int classes = loaded.classNames().size();
        checkData(loaded);
        ModelSpec modelSpec = ModelChoice.resolve(model, loaded.inputShape(), classes);
        checkNoSoftmaxAtTheEnd(modelSpec);
        Generator init = new Generator(seed.value);                         // dropout draws from it too
        Module network = modelSpec.build(init);
        double learningRate = lr != null ? lr : optimizer.defaultLr;
        Optimizer opt = switch (optimizer) {
            case adam -> Adam.builder(network.parameters()).lr(learningRate).build();
            case sgd -> SGD.builder(network.parameters(), learningRate).momentum(0.9).build();
        };
        out.printf(Locale.ROOT, "Training %s (%,d parameters) on %s: %,d training and %,d test examples, %d classes%n",
                model, network.parameterCount(), loaded.name(), loaded.train().size(), loaded.test().size(), classes);
        out.printf(Locale.ROOT, "%s lr %s, batch %d, %d epochs, seed %d%n", optimizer, learningRate, batch, epochs, seed.value);
        out.flush();
        TrainingLoop trainer = loop(modelSpec, network, opt, init);
        trainer.callback(progress(out));
        DataLoader loader = DataLoader.builder(loaded.train()).batchSize(batch).shuffle(true)
                .generator(new Generator(seed.value + 1)).prefetch(true).build();
        Path checkpointRoot = checkpoint != null ? checkpoint : resumed != null ? resumed.root() : null;
        Checkpoint checkpoints = new Checkpoint(checkpointRoot != null ? checkpointRoot : TrainSettings.defaultCheckpoint(save),
                network, opt, TrainSettings.of(this), Checkpoint.DEFAULT_KEEP);
        trainer.checkpoint(checkpoints, checkpointRoot != null, checkpointRoot != null ? checkpointEvery : 0);
        if (resumed != null) {
            resumed.restore(network, opt);
        }
        History history;
        try (Interrupts interrupts = Interrupts.install()) {
            history = trainer.stopWhen(interrupts::requested).fit(loader, loaded.test(), epochs,
                    resumed == null ? null : resumed.state());
            if (trainer.stopped()) {
                Path where = checkpoints.last();
                spec.commandLine().getErr().printf(Locale.ROOT, "soma: stopped by %s at epoch %d, step %d; checkpoint in %s;"
                        + " continue with: %s --resume %s%n", interrupts.signalName(), trainer.lastState().epoch(),
                        trainer.lastState().step(), where.getParent(), spec.qualifiedName(), where.getParent());
                spec.commandLine().getErr().flush();
                return interrupts.exitCode();
            }
        }
        double[] accuracy = history.validationAccuracy();
        out.printf(Locale.ROOT, "Test accuracy after %d epochs: %.4f%n", history.epochs().size(),
                accuracy[accuracy.length - 1]);
        if (save != null) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put(ModelFile.VERSION_KEY, VersionInfo.version());
            extra.put("soma.data", loaded.name());
            extra.put("soma.epochs", Integer.toString(history.epochs().size()));
            extra.put("soma.test_accuracy", String.format(Locale.ROOT, "%.4f", accuracy[accuracy.length - 1]));
            extra.put(Preprocessing.KEY, PreprocessingJson.toJson(loaded.preprocessing()));
            ModelFile.save(save, network, modelSpec, loaded.classNames(), extra);
            out.println("Saved the model to " + save);
        }
        if (plot.file != null) {
            plot(history);
            out.println("Saved the curves to " + plot.file);
        }
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("epochs", history.epochs().size());
            result.put("epoch_seconds", history.epochSeconds());
            result.put("train_loss", history.trainLoss());
            result.put("test_accuracy", accuracy);
            result.put("parameters", network.parameterCount());
            result.put("peak_rss_mib", PeakMemory.mebibytes());
            result.putAll(moreJson());
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    /**
     * The loop that trains {@code network} (built from {@code modelSpec}, its dropout drawing from
     * {@code init}): the local {@link Trainer}; {@code soma spark train} runs Spark's instead.
     */
    TrainingLoop loop(ModelSpec modelSpec, Module network, Optimizer opt, Generator init) {
        return new Trainer(network, new CrossEntropyLoss(), opt, Metric.multiclassAccuracy()).generators(init);
    }

    /** Fields for {@code --json} beyond soma train's own (none here). */
    Map<String, Object> moreJson() {
        return Map.of();
    }

    private void checkOptions() {
        if (epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be ≥ 1, got " + epochs);
        }
        if (data.data == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--data=NAME|DIR' (or --resume DIR)");
        }
        if (checkpointEvery < 0) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every must be ≥ 0, got " + checkpointEvery);
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be ≥ 1, got " + batch);
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive number, got " + lr);
        }
        if (save != null && !save.getFileName().toString().endsWith(".safetensors")) {
            throw new ParameterException(spec.commandLine(), "--save: expected a .safetensors file name, got '" + save + "'");
        }
        Options.checkDestination(spec, "--save", save);
        plot.check();
    }

    /**
     * Training steps of a stand-in of the model on random data while the data loads ({@link Warmup}),
     * when its shape is known before loading: fashion-mnist and mnist, 1 × 28 × 28 pictures of 10
     * classes, and only when asked ({@link Warmup#enabled}). Null otherwise, or when the model does not
     * fit them (the run itself then says why).
     */
    private Warmup warmup() {
        if (!Warmup.enabled() || !DataSettings.IDX_SETS.contains(data.data())) {
            return null;
        }
        ModelSpec stand;
        try {
            stand = ModelChoice.resolve(model, new int[] {1, 28, 28}, Mnist.DIGITS.size());
        } catch (IOException | RuntimeException e) {
            return null;
        }
        double learningRate = lr != null ? lr : optimizer.defaultLr;
        return Warmup.start(() -> {
            Module network = stand.build(new Generator(seed.value + 2));
            Optimizer opt = switch (optimizer) {
                case adam -> Adam.builder(network.parameters()).lr(learningRate).build();
                case sgd -> SGD.builder(network.parameters(), learningRate).momentum(0.9).build();
            };
            return new Trainer(network, new CrossEntropyLoss(), opt, Metric.multiclassAccuracy());
        }, new int[] {1, 28, 28}, Mnist.DIGITS.size(), batch);
    }

    /**
     * Refuses data a classifier cannot learn or be measured on, which would otherwise train "fine" and
     * report NaN or a meaningless accuracy: no training or no test examples, or a single class.
     */
    private static void checkData(DataOptions.Loaded loaded) {
        String split = " (an image folder is split by --test-fraction, which must leave examples on both sides)";
        if (loaded.train().size() == 0) {
            throw new IllegalArgumentException(loaded.name() + " has no training examples" + split);
        }
        if (loaded.test().size() == 0) {
            throw new IllegalArgumentException(loaded.name() + " has no test examples to measure the accuracy on" + split);
        }
        if (loaded.classNames().size() < 2) {
            throw new IllegalArgumentException(loaded.name() + " has a single class " + loaded.classNames()
                    + "; a classifier needs at least 2 (one subfolder per class)");
        }
    }

    /**
     * Refuses a model whose last layer is a softmax: the loss, cross-entropy, applies log-softmax to
     * the model's outputs itself, so a softmax before it would squash the scores twice and train badly
     * with no error. A last log_softmax is allowed: log-softmax of log-probabilities changes nothing
     * (they already sum to 1 once exponentiated), so the loss is exactly the negative log-likelihood.
     */
    private static void checkNoSoftmaxAtTheEnd(ModelSpec modelSpec) {
        if (!modelSpec.layers().isEmpty() && modelSpec.layers().getLast() instanceof Softmax.Spec) {
            throw new IllegalArgumentException("the model's last layer is a softmax, but soma train's loss"
                    + " (cross-entropy) applies softmax itself: remove that layer so the model outputs scores"
                    + " (logits); predict and eval turn them into probabilities");
        }
    }

    /** A live bar when standard output is a terminal, plain lines otherwise. */
    private static Callback progress(PrintWriter out) {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? new ProgressBar(out) : new ProgressLogger(out);
    }

    private void plot(History history) throws java.io.IOException {
        int n = history.epochs().size();
        double[] epochNumbers = new double[n];
        Arrays.setAll(epochNumbers, i -> i + 1);
        new Figure(2,
                new Chart("Training loss", "epoch", "cross-entropy").line("train", epochNumbers, history.trainLoss()),
                new Chart("Test accuracy", "epoch", "accuracy").line("test", epochNumbers, history.validationAccuracy()))
                .save(plot.file);
    }
}

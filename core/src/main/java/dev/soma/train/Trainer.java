package dev.soma.train;

import dev.soma.data.Batch;
import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.nn.Loss;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The training loop that the command line and users share, PyTorch's loop written once:
 *
 * <pre>{@code
 * for each epoch:
 *     model.train()
 *     for (x, y) in batches (reshuffled each epoch from the seeded generator):
 *         optimizer.zeroGrad(); loss = lossFn(model(x), y); loss.backward(); optimizer.step()
 *     model.eval(); under NoGrad: loss and accuracy on the validation set
 * }</pre>
 *
 * Callbacks see every step and epoch and may stop the run (early stopping). With the same seeds for
 * initialisation and shuffling, two runs give the same numbers.
 *
 * <p>A step whose loss or gradient is not finite stops the run with a
 * {@link TrainingDivergedException} before the optimizer applies it (as Keras's
 * {@code TerminateOnNaN}, but before the weights are spoiled), so a run never finishes with NaN
 * weights. The check reads each gradient once per step.
 *
 * <p><b>Checkpoints.</b> With a {@link CheckpointSink} ({@link #checkpoint}), the loop hands it a
 * {@link TrainingState} after each epoch and every N steps; {@link #fit(DataLoader, Dataset, int,
 * TrainingState)} continues from one, with the model's weights and the optimizer's state restored by
 * the caller, and ends with the same bits as a run never stopped: the epoch's order is redrawn from
 * the loader's generator as the epoch began, the batches already trained on are skipped, and the
 * generators, the epoch's running sums and the history are those of the stopped run. A
 * {@link #stopWhen} condition, checked after every step (Ctrl-C in the command line, a test's
 * chosen step), ends the run there with a checkpoint. Callbacks keep no state across a resume.
 */
public final class Trainer implements TrainingLoop {

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Metric metric;
    private final List<Callback> callbacks = new ArrayList<>();
    private CheckpointSink checkpoints;
    private boolean checkpointEachEpoch;
    private int checkpointEverySteps;
    private BooleanSupplier stopWhen = () -> false;
    private List<Generator> generators = List.of(Generator.global());
    private TrainingState lastState;
    private boolean stopped;

    /**
     * @param metric counts correct predictions for accuracy, or null to report none
     */
    public Trainer(Module model, Loss loss, Optimizer optimizer, Metric metric) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.metric = metric;
    }

    /** Adds a callback; returns this trainer. */
    @Override
    public Trainer callback(Callback callback) {
        callbacks.add(callback);
        return this;
    }

    /**
     * Hands the run's state to {@code sink} after each epoch when {@code eachEpoch}, every
     * {@code everySteps} optimizer steps when that is &gt; 0 (counted over the whole run), and when
     * {@link #stopWhen} stops the run. Returns this trainer.
     */
    @Override
    public Trainer checkpoint(CheckpointSink sink, boolean eachEpoch, int everySteps) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint: steps between checkpoints must be ≥ 0, got " + everySteps);
        }
        this.checkpoints = sink;
        this.checkpointEachEpoch = eachEpoch;
        this.checkpointEverySteps = everySteps;
        return this;
    }

    /**
     * The generators the model draws from while it trains (a dropout layer's, when not the global
     * one), whose states checkpoints save and a resumed run restores, after {@link Generator#global()},
     * which is always saved. Returns this trainer.
     */
    public Trainer generators(Generator... drawnFrom) {
        List<Generator> all = new ArrayList<>(List.of(Generator.global()));
        all.addAll(List.of(drawnFrom));
        this.generators = List.copyOf(all);
        return this;
    }

    private List<Generator.State> generatorStates() {
        return generators.stream().map(Generator::state).toList();
    }

    /**
     * Ends the run after the first step at which {@code condition} holds (checked after every step,
     * when {@link #lastState()} is already that step's, and after each epoch but the last), writing a
     * checkpoint there when a sink is set; {@link #stopped()} then says so. Returns this trainer.
     */
    @Override
    public Trainer stopWhen(BooleanSupplier condition) {
        this.stopWhen = condition;
        return this;
    }

    /** Whether the last {@link #fit} was ended by the {@link #stopWhen} condition. */
    @Override
    public boolean stopped() {
        return stopped;
    }

    /** Where the last {@link #fit} ended: the state a checkpoint written then holds (null before any fit). */
    @Override
    public TrainingState lastState() {
        return lastState;
    }

    /**
     * Trains for up to {@code epochs} epochs on {@code train}, evaluating on {@code validation} (may be
     * null) after each. Modifies the model's parameters and the optimizer's state.
     */
    public History fit(DataLoader train, Dataset validation, int epochs) {
        return fit(train, validation, epochs, null);
    }

    /**
     * Continues a run from {@code from} (a checkpoint's state; null starts afresh): the model and the
     * optimizer must already hold the checkpoint's weights and state. Sets the loader's generator and
     * those of {@link #generators} to the states saved. The history returned holds the epochs before
     * {@code from} too.
     */
    @Override
    public History fit(DataLoader train, Dataset validation, int epochs, TrainingState from) {
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: epochs must be ≥ 0, got " + epochs);
        }
        if (train.dataset().size() == 0) {
            throw new IllegalArgumentException("fit: the training data has no examples");
        }
        List<Map.Entry<String, Tensor>> parameters = List.copyOf(model.namedParameters().entrySet());
        History history = new History();
        Generator shuffle = train.generator();
        long globalStep = 0;
        int firstEpoch = 1;
        if (from != null) {
            from.history().forEach(history::add);
            globalStep = from.globalStep();
            firstEpoch = from.epoch();
            if (from.generators().size() != generators.size()) {
                throw new IllegalArgumentException("fit: the state holds " + from.generators().size()
                        + " generators, this trainer draws from " + generators.size());
            }
            for (int i = 0; i < generators.size(); i++) {
                generators.get(i).setState(from.generators().get(i));
            }
        }
        stopped = false;
        lastState = from;
        Callback.TrainStart run = new Callback.TrainStart(epochs, train.batches());
        callbacks.forEach(c -> c.onTrainStart(run));
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            model.train();
            long start = System.nanoTime();
            boolean resumed = from != null && epoch == from.epoch();
            double lossSum = resumed ? from.lossSum() : 0;
            long correct = resumed ? from.correct() : 0;
            long seen = resumed ? from.seen() : 0;
            int batchIndex = resumed ? from.step() : 0;
            int batches = train.batches();
            Generator.State epochStart = resumed ? from.shuffleAtEpochStart() : shuffle.state();
            shuffle.setState(epochStart);
            Iterator<Batch> pass = train.iterator(batchIndex);
            if (resumed && batchIndex > 0) { // at step 0, "now" is the epoch's start: the order was just drawn from it
                shuffle.setState(from.shuffle());
            }
            while (pass.hasNext()) {
                Batch batch = pass.next();
                optimizer.zeroGrad();
                Tensor output = model.forward(batch.inputs());
                Tensor value = loss.forward(output, batch.targets());
                value.backward();
                double batchLoss = value.item();
                checkFinite(epoch, batchIndex + 1, batchLoss, parameters);
                optimizer.step();
                int n = batch.size();
                lossSum += batchLoss * n;
                seen += n;
                if (metric != null) {
                    correct += metric.correct(output.detach(), batch.targets());
                }
                batchIndex++;
                globalStep++;
                Callback.BatchEnd end = new Callback.BatchEnd(epoch, batchIndex, batches, n, batchLoss);
                for (Callback c : callbacks) {
                    c.onBatchEnd(end);
                }
                lastState = new TrainingState(epoch, batchIndex, globalStep, epochStart, shuffle.state(),
                        generatorStates(), lossSum, correct, seen, history.epochs());
                boolean stopNow = stopWhen.getAsBoolean();
                boolean due = checkpointEverySteps > 0 && globalStep % checkpointEverySteps == 0
                        && batchIndex < batches; // the epoch's own checkpoint follows the last step
                if (stopNow || due) {
                    save(lastState);
                }
                if (stopNow) {
                    return end(history, true);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double trainAccuracy = metric == null || seen == 0 ? Double.NaN : (double) correct / seen;
            Evaluation validationResult = validation == null ? null : evaluate(validation, train.batchSize());
            EpochStats stats = new EpochStats(epoch, seen == 0 ? Double.NaN : lossSum / seen, trainAccuracy,
                    validationResult == null ? Double.NaN : validationResult.loss(),
                    validationResult == null ? Double.NaN : validationResult.accuracy(), seconds);
            history.add(stats);
            boolean stop = false;
            for (Callback c : callbacks) {
                stop |= c.onEpochEnd(stats);
            }
            Generator.State next = shuffle.state();
            lastState = new TrainingState(epoch + 1, 0, globalStep, next, next, generatorStates(),
                    0, 0, 0, history.epochs());
            boolean stopNow = !stop && epoch < epochs && stopWhen.getAsBoolean();
            if (checkpointEachEpoch || stopNow) {
                save(lastState);
            }
            if (stop || stopNow) {
                return end(history, stopNow);
            }
        }
        return end(history, false);
    }

    private History end(History history, boolean byCondition) {
        stopped = byCondition;
        model.eval();
        callbacks.forEach(c -> c.onTrainEnd(history));
        return history;
    }

    private void save(TrainingState state) {
        if (checkpoints == null) {
            return;
        }
        try {
            checkpoints.save(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Throws before a step that would write a non-finite number into the weights. */
    private static void checkFinite(int epoch, int step, double batchLoss, List<Map.Entry<String, Tensor>> parameters) {
        if (!Double.isFinite(batchLoss)) {
            throw new TrainingDivergedException(epoch, step, "the loss is " + batchLoss);
        }
        for (Map.Entry<String, Tensor> parameter : parameters) {
            Tensor grad = parameter.getValue().grad();
            if (grad != null && !grad.allFinite()) {
                throw new TrainingDivergedException(epoch, step, "the gradient of " + parameter.getKey()
                        + " holds NaN or infinite values");
            }
        }
    }

    /** The mean loss and accuracy of a dataset, in evaluation mode and without a graph. */
    public record Evaluation(double loss, double accuracy, long examples) {
    }

    /** Evaluates the model on {@code data} in batches of {@code batchSize}, in evaluation mode. */
    public Evaluation evaluate(Dataset data, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : new DataLoader(data, batchSize)) {
                Tensor output = model.forward(batch.inputs());
                lossSum += loss.forward(output, batch.targets()).item() * batch.size();
                if (metric != null) {
                    correct += metric.correct(output, batch.targets());
                }
                seen += batch.size();
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(seen == 0 ? Double.NaN : lossSum / seen,
                metric == null || seen == 0 ? Double.NaN : (double) correct / seen, seen);
    }
}

package dev.soma.train;

import dev.soma.data.Batch;
import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.nn.Loss;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

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
 */
public final class Trainer {

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Metric metric;
    private final List<Callback> callbacks = new ArrayList<>();

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
    public Trainer callback(Callback callback) {
        callbacks.add(callback);
        return this;
    }

    /**
     * Trains for up to {@code epochs} epochs on {@code train}, evaluating on {@code validation} (may be
     * null) after each. Modifies the model's parameters and the optimizer's state.
     */
    public History fit(DataLoader train, Dataset validation, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: epochs must be ≥ 0, got " + epochs);
        }
        History history = new History();
        Callback.TrainStart run = new Callback.TrainStart(epochs, train.batches());
        callbacks.forEach(c -> c.onTrainStart(run));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int batchIndex = 0;
            int batches = train.batches();
            for (Batch batch : train) {
                optimizer.zeroGrad();
                Tensor output = model.forward(batch.inputs());
                Tensor value = loss.forward(output, batch.targets());
                value.backward();
                optimizer.step();
                double batchLoss = value.item();
                int n = batch.size();
                lossSum += batchLoss * n;
                seen += n;
                if (metric != null) {
                    correct += metric.correct(output.detach(), batch.targets());
                }
                batchIndex++;
                Callback.BatchEnd end = new Callback.BatchEnd(epoch, batchIndex, batches, n, batchLoss);
                for (Callback c : callbacks) {
                    c.onBatchEnd(end);
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
            if (stop) {
                break;
            }
        }
        model.eval();
        callbacks.forEach(c -> c.onTrainEnd(history));
        return history;
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

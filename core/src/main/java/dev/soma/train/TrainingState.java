package dev.soma.train;

import dev.soma.tensor.Generator;
import java.util.List;

/**
 * Where a run stands, besides its weights and its optimizer's state: what a checkpoint saves so that
 * {@link Trainer#fit(dev.soma.data.DataLoader, dev.soma.data.Dataset, int, TrainingState)} continues
 * as if the run had never stopped, to the last bit. Recorded between two steps.
 *
 * @param epoch the epoch in progress, from 1; {@code epochs + 1} once the run has finished
 * @param step the steps already taken in that epoch, 0 at its start
 * @param globalStep the optimizer steps taken since the run began
 * @param shuffleAtEpochStart the loader's generator as the epoch began, before its order was drawn:
 *     setting it back redraws that order ({@link dev.soma.data.DataLoader#iterator(int)})
 * @param shuffle the loader's generator now (at step 0, the same as {@code shuffleAtEpochStart}: the
 *     epoch's order is still to be drawn from it)
 * @param generators the states now of {@link Generator#global()} and of the generators given to
 *     {@link Trainer#generators} (dropout's), in that order
 * @param lossSum the epoch's summed loss so far (each batch's mean loss times its size)
 * @param correct the epoch's correct predictions so far
 * @param seen the epoch's examples so far
 * @param history the statistics of the epochs finished
 */
public record TrainingState(int epoch, int step, long globalStep, Generator.State shuffleAtEpochStart,
        Generator.State shuffle, List<Generator.State> generators, double lossSum, long correct, long seen,
        List<EpochStats> history) {

    public TrainingState {
        if (epoch < 1 || step < 0 || globalStep < 0 || correct < 0 || seen < 0) {
            throw new IllegalArgumentException("training state: epoch must be ≥ 1 and the counts ≥ 0, got epoch "
                    + epoch + ", step " + step + ", global step " + globalStep + ", correct " + correct + ", seen " + seen);
        }
        generators = List.copyOf(generators);
        history = List.copyOf(history);
    }
}

package dev.soma.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class LrSchedulerTest {

    private static final double BASE = 0.1;

    private static SGD optimizer() {
        return new SGD(OptimizerTesting.params(), BASE);
    }

    /** The rates at epochs 0..n−1, read from the optimizer, must equal {@code closedForm}. */
    private static void assertSchedule(LrScheduler scheduler, int epochs, IntToDoubleFunction closedForm) {
        for (int t = 0; t < epochs; t++) {
            if (t > 0) {
                scheduler.step();
            }
            assertEquals(t, scheduler.epoch());
            assertEquals(closedForm.applyAsDouble(t), scheduler.optimizer().lr(), 1e-12 * BASE, "epoch " + t);
            assertEquals(scheduler.optimizer().lr(), scheduler.lastLr());
        }
    }

    private static void assertRates(LrScheduler scheduler, double... expected) {
        assertSchedule(scheduler, expected.length, t -> expected[t]);
    }

    @Test
    void stepLR() {
        assertSchedule(new StepLR(optimizer(), 3, 0.5), 12, t -> BASE * Math.pow(0.5, t / 3));
        assertRates(new StepLR(optimizer(), 2), 0.1, 0.1, 0.01, 0.01, 0.001);
    }

    @Test
    void exponentialLR() {
        assertSchedule(new ExponentialLR(optimizer(), 0.9), 10, t -> BASE * Math.pow(0.9, t));
        assertRates(new ExponentialLR(optimizer(), 0.5), 0.1, 0.05, 0.025, 0.0125);
    }

    @Test
    void cosineAnnealingLR() {
        assertSchedule(new CosineAnnealingLR(optimizer(), 10, 0.001), 21,
                t -> 0.001 + (BASE - 0.001) * (1 + Math.cos(Math.PI * t / 10)) / 2);
        // T_max = 4: η₀·(1 + cos(πt/4))/2 = 0.1, 0.1·(1 + √½)/2, 0.05, 0.1·(1 − √½)/2, 0, then back up.
        assertRates(new CosineAnnealingLR(optimizer(), 4), 0.1, 0.08535533905932738, 0.05, 0.014644660940672627,
                0, 0.014644660940672627);
    }

    @Test
    void linearWarmup() {
        assertSchedule(new LinearWarmup(optimizer(), 0.25, 4), 8,
                t -> BASE * (0.25 + 0.75 * Math.min(t, 4) / 4.0));
        assertRates(new LinearWarmup(optimizer(), 0.5, 2), 0.05, 0.075, 0.1, 0.1);
    }

    @Test
    void warmupThenCosine() {
        // Warm-up from 0.01 to 0.1 over 3 epochs, then cosine from 0.1 at epoch 3 to 0 at epoch 7.
        var scheduler = SequentialLR.warmupCosine(optimizer(), 3, 0.1, 7, 0);
        assertSchedule(scheduler, 12, t -> t < 3
                ? BASE * (0.1 + 0.9 * t / 3.0)
                : BASE * (1 + Math.cos(Math.PI * (t - 3) / 4)) / 2);
        var again = SequentialLR.warmupCosine(optimizer(), 3, 0.1, 7, 0);
        assertRates(again, 0.01, 0.04, 0.07, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0);
    }

    @Test
    void sequentialRestartsEachScheduleAtItsMilestone() {
        SGD sgd = optimizer();
        var first = new ExponentialLR(sgd, 0.5);
        var second = new StepLR(sgd, 2, 0.1);
        var third = new ExponentialLR(sgd, 2);
        assertRates(new SequentialLR(sgd, List.of(first, second, third), 2, 5),
                0.1, 0.05, 0.1, 0.1, 0.01, 0.1, 0.2, 0.4);
    }

    @Test
    void schedulesShareTheFirstBaseRate() {
        // As PyTorch's initial_lr: the second scheduler starts from 0.1, not from the warm-up's 0.01.
        SGD sgd = optimizer();
        new LinearWarmup(sgd, 0.1, 5);
        assertEquals(0.01, sgd.lr(), 1e-15);
        var decay = new ExponentialLR(sgd, 0.5);
        assertEquals(BASE, decay.baseLr());
        assertEquals(BASE, sgd.lr());
    }

    @Test
    void rejectsBadArgumentsWithTheValue() {
        assertMessage("stepSize must be ≥ 1, got 0", () -> new StepLR(optimizer(), 0));
        assertMessage("gamma must be finite and > 0, got -0.5", () -> new StepLR(optimizer(), 3, -0.5));
        assertMessage("gamma must be finite and > 0, got 0.0", () -> new ExponentialLR(optimizer(), 0));
        assertMessage("tMax must be ≥ 1, got -4", () -> new CosineAnnealingLR(optimizer(), -4));
        assertMessage("etaMin must be ≥ 0, got -0.01", () -> new CosineAnnealingLR(optimizer(), 4, -0.01));
        assertMessage("startFactor must be in (0, 1], got 1.5", () -> new LinearWarmup(optimizer(), 1.5, 3));
        assertMessage("startFactor must be in (0, 1], got 0.0", () -> new LinearWarmup(optimizer(), 0, 3));
        assertMessage("warmupSteps must be ≥ 1, got 0", () -> new LinearWarmup(optimizer(), 0.5, 0));
        assertMessage("totalSteps must be > warmupSteps 5, got 5",
                () -> SequentialLR.warmupCosine(optimizer(), 5, 0.1, 5, 0));
        SGD sgd = optimizer();
        var a = new StepLR(sgd, 2);
        var b = new StepLR(sgd, 2);
        assertMessage("milestones must be ≥ 1 and increasing, got [0]", () -> new SequentialLR(sgd, List.of(a, b), 0));
        assertMessage("SequentialLR needs one milestone fewer than schedulers, got 2 schedulers and 2 milestones",
                () -> new SequentialLR(sgd, List.of(a, b), 2, 4));
        var other = new StepLR(optimizer(), 2);
        assertMessage("scheduler 1 belongs to another optimizer", () -> new SequentialLR(sgd, List.of(a, other), 2));
    }

    private static void assertMessage(String message, Runnable construct) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construct::run).getMessage());
    }
}

package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.kernel.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** A large population steps in parts on several threads: the same spikes and potentials as on one. */
class ThreadsTest {

    /** {@code threads} platform threads claiming parts from the last to the first, so the order differs from one thread's. */
    private record ReverseWorkers(int threads) implements Workers {
        @Override
        public void run(int parts, IntConsumer part) {
            AtomicInteger next = new AtomicInteger(parts);
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(Thread.ofPlatform().start(() -> {
                    for (int i = next.decrementAndGet(); i >= 0; i = next.decrementAndGet()) {
                        part.accept(i);
                    }
                }));
            }
            for (Thread thread : running) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private record Run(int[] spikes, double[] membrane) {
    }

    private static Run simulate(Workers workers) {
        // The excitatory population steps in 6 parts, the inhibitory one in 2, the last of each partial.
        Cuba cuba = Cuba.build(5 * LifPopulation.CHUNK * 5 / 4 + 777, 20, 3);
        assertEquals(6, (cuba.excitatory().size() + LifPopulation.CHUNK - 1) / LifPopulation.CHUNK);
        assertEquals(2, (cuba.inhibitory().size() + LifPopulation.CHUNK - 1) / LifPopulation.CHUNK);
        assertTrue(cuba.inhibitory().size() >= LifPopulation.PARALLEL_MIN);
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(cuba.network(), Cuba.DT_MS, new Generator(0), workers);
        simulator.run(15);
        SpikeRecorder s = simulator.spikes();
        int[] spikes = new int[2 * s.count()];
        for (int k = 0; k < s.count(); k++) {
            spikes[2 * k] = (int) Math.round(s.timeMs(k) / Cuba.DT_MS);
            spikes[2 * k + 1] = s.neuron(k);
        }
        double[] membrane = new double[cuba.network().neurons()];
        System.arraycopy(cuba.excitatory().membrane(), 0, membrane, 0, cuba.excitatory().size());
        System.arraycopy(cuba.inhibitory().membrane(), 0, membrane, cuba.excitatory().size(), cuba.inhibitory().size());
        return new Run(spikes, membrane);
    }

    @Test
    void sameSpikesOnOneTwoAndThreeThreads() {
        // One thread: the population steps unsplit (a Workers of one thread is never asked to run parts).
        Run one = simulate(new Workers() {
            @Override
            public int threads() {
                return 1;
            }

            @Override
            public void run(int parts, IntConsumer part) {
                throw new AssertionError("a population on one thread does not split");
            }
        });
        assertTrue(one.spikes.length / 2 > 1000, "the network is active: " + one.spikes.length / 2 + " spikes");
        for (int threads : new int[] {2, 3}) {
            Run many = simulate(new ReverseWorkers(threads));
            assertArrayEquals(one.spikes, many.spikes, threads + " threads");
            assertArrayEquals(one.membrane, many.membrane, threads + " threads");
        }
    }

    @Test
    void aStepAllocatesNothing() {
        // 60 neurons fire fewer than 1,024 spikes in 1 s, so the spike recorder never grows past its first arrays.
        Cuba cuba = Cuba.build(60, 10, 5);
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(cuba.network(), Cuba.DT_MS, new Generator(0));
        simulator.run(700);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        simulator.run(300);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        int spikes = simulator.spikes().count();
        assertTrue(spikes > 300 && spikes < 1024, "spikes: " + spikes);
        // 16 bytes a step would be 48,000; what is left is the refractory lists growing for a busier step.
        assertTrue(allocated < 2048, allocated + " bytes allocated in 3,000 steps");
    }
}

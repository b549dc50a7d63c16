package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainersTest {

    private static Trainers playing(int threads, int sessions) {
        Trainers trainers = new Trainers(Runnable::run, threads);
        for (int i = 0; i < sessions; i++) {
            trainers.started();
        }
        return trainers;
    }

    @Test
    void oneSessionAloneGetsTheLongestSlice() {
        assertEquals(10_000_000L, playing(1, 1).sliceNanos()); // 50 ms / 1, capped at 10 ms
        assertEquals(10_000_000L, playing(1, 0).sliceNanos());
    }

    @Test
    void twentySessionsOnOneThreadEachGetATurnEvery50Milliseconds() {
        assertEquals(2_500_000L, playing(1, 20).sliceNanos()); // 20 × 2.5 ms = 50 ms
        assertEquals(5_000_000L, playing(2, 20).sliceNanos()); // two threads: 10 turns each
    }

    @Test
    void manySessionsStopAtTheShortestSlice() {
        assertEquals(500_000L, playing(1, 1000).sliceNanos()); // 50 µs would be mostly switching
    }

    @Test
    void stoppingGivesTheTimeBack() {
        Trainers trainers = playing(1, 20);
        for (int i = 0; i < 15; i++) {
            trainers.stopped();
        }
        assertEquals(5, trainers.playing());
        assertEquals(10_000_000L, trainers.sliceNanos());
    }

    @Test
    void aSessionCountsAsPlayingFromPlayUntilPauseOrClose() {
        Trainers trainers = new Trainers(task -> { }, 1); // slices are queued, never run
        LiveSession live = new LiveSession("a", new Session(Settings.defaults()), trainers);
        live.play();
        live.play();
        assertEquals(1, trainers.playing());
        live.pause();
        live.pause();
        assertEquals(0, trainers.playing());
        live.play();
        live.close();
        assertEquals(0, trainers.playing());
    }
}

package dev.soma.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rule that decides when the old generation gets a full collection (no timing or memory asserted). */
class OldGenLimitTest {

    private static final long MIB = 1L << 20;

    @Test
    void collectsAtTwiceTheLiveDataPlusTheHeadroom() {
        assertEquals(2 * 73 * MIB + OldGenLimit.HEADROOM, OldGenLimit.threshold(73 * MIB, 6000 * MIB));
        assertEquals(OldGenLimit.HEADROOM, OldGenLimit.threshold(0, 6000 * MIB));
    }

    @Test
    void neverAsksForMoreThanThePoolCanHold() {
        assertEquals(300 * MIB, OldGenLimit.threshold(100 * MIB, 300 * MIB));
        assertEquals(2 * MIB + OldGenLimit.HEADROOM, OldGenLimit.threshold(MIB, -1)); // max undefined
    }
}

package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The playground's CSV reader: numbers as written, errors naming the line, and no slow pattern. */
class CsvPointsTest {

    @Test
    void readsEveryNumberFormItAccepts() {
        List<Point> points = CsvPoints.parse("x1,x2,label\n-1,.5,0\r\n\n2e-3,+4.,1.5E+1\n");
        assertEquals(2, points.size());
        assertEquals(-1f, points.get(0).x1());
        assertEquals(0.5f, points.get(0).x2());
        assertEquals(0.002f, points.get(1).x1());
        assertEquals(4f, points.get(1).x2());
        assertEquals(15f, points.get(1).label());
    }

    /**
     * Found by fuzzing's corpus (CsvPointsFuzzTest): the number pattern backtracked quadratically,
     * and a cell of 40,000 digits and a letter took 38 s to reject (256 kB, the upload limit, would
     * take half an hour). Now linear: 200,000 digits are rejected at once.
     */
    @Test
    void aLongCellThatIsNotANumberIsRejectedQuickly() {
        String cell = "1".repeat(200_000) + "x";
        long start = System.nanoTime();
        PlaygroundException error = assertThrows(PlaygroundException.class, () -> CsvPoints.parse("1,2," + cell));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("line 1: '" + "1".repeat(37) + "…' is not a number", error.getMessage());
        assertTrue(millis < 5_000, "took " + millis + " ms");
    }
}

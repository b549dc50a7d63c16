package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ImageDataset}: bytes in, [0, 1] floats and class indices out, per-channel normalisation. */
class ImageDatasetTest {

    /** Three 2-channel 1 × 2 images: image i, channel c, pixel p = 100 i + 10 c + p (as bytes). */
    private static ImageDataset three() {
        byte[] pixels = new byte[3 * 2 * 2];
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 2; c++) {
                for (int p = 0; p < 2; p++) {
                    pixels[(i * 2 + c) * 2 + p] = (byte) (100 * i + 10 * c + p);
                }
            }
        }
        return new ImageDataset(pixels, 2, 1, 2, new int[] {2, 0, 1}, List.of("a", "b", "c"));
    }

    @Test
    void batchScalesToZeroOneInTheOrderAsked() {
        ImageDataset data = three();
        assertEquals(3, data.size());
        Batch batch = data.batch(new int[] {2, 0, 2});
        assertArrayEquals(new int[] {3, 2, 1, 2}, batch.inputs().shape());
        assertArrayEquals(new float[] {1, 2, 1}, batch.targets().toArray());
        float[] expected = {200, 201, 210, 211, 0, 1, 10, 11, 200, 201, 210, 211};
        for (int k = 0; k < expected.length; k++) {
            expected[k] /= 255f;
        }
        assertArrayEquals(expected, batch.inputs().toArray());
    }

    @Test
    void bytesAboveOneHundredTwentySevenAreUnsigned() {
        ImageDataset data = new ImageDataset(new byte[] {(byte) 255, (byte) 128}, 1, 1, 2, new int[] {0}, List.of("x"));
        assertArrayEquals(new float[] {1, 128 / 255f}, data.batch(new int[] {0}).inputs().toArray());
    }

    @Test
    void normalisationIsPerChannel() {
        ImageDataset data = three().normalized(new float[] {0.5f, 0.25f}, new float[] {2, 0.5f});
        float[] inputs = data.batch(new int[] {1}).inputs().toArray(); // pixels 100, 101 | 110, 111
        assertEquals((100 / 255f - 0.5f) / 2, inputs[0], 1e-6);
        assertEquals((101 / 255f - 0.5f) / 2, inputs[1], 1e-6);
        assertEquals((110 / 255f - 0.25f) / 0.5f, inputs[2], 1e-6);
        assertEquals((111 / 255f - 0.25f) / 0.5f, inputs[3], 1e-6);
        assertArrayEquals(three().image(1), data.image(1), "normalising changes only the batches");
        assertThrows(IllegalArgumentException.class, () -> three().normalized(new float[] {0}, new float[] {1}));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> three().normalized(new float[] {0, 0}, new float[] {1, 0}));
        assertTrue(error.getMessage().contains("std must be > 0"), error.getMessage());
    }

    @Test
    void accessorsDescribeTheImages() {
        ImageDataset data = three();
        assertEquals(2, data.channels());
        assertEquals(1, data.height());
        assertEquals(2, data.width());
        assertEquals(List.of("a", "b", "c"), data.classNames());
        assertEquals(1, data.label(2));
        assertArrayEquals(new byte[] {(byte) 200, (byte) 201, (byte) 210, (byte) 211}, data.image(2));
        assertArrayEquals(new int[] {1, 1, 1}, data.classCounts());
        data.image(2)[0] = 0;
        assertEquals((byte) 200, data.image(2)[0], "image() hands out a copy");
    }

    @Test
    void badConstructionIsRejectedWithTheValues() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(new byte[5], 1, 2, 2, new int[] {0}, List.of("x")));
        assertTrue(size.getMessage().contains("need 4 bytes, got 5"), size.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(new byte[8], 1, 2, 2, new int[] {0, 3}, List.of("x", "y")));
        assertTrue(label.getMessage().contains("label 3 of image 1 is outside 0..1"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(new byte[0], 0, 2, 2, new int[0], List.of()));
        assertThrows(IndexOutOfBoundsException.class, () -> three().batch(new int[] {3}));
    }
}

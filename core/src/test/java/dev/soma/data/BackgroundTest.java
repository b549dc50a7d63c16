package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The polarity rule: 90 % of the border on one side of 0.5, else mixed; the inside does not count. */
class BackgroundTest {

    /** A picture {@code [1, h, w]} filled with {@code inside}, its border {@code border}. */
    private static byte[] framed(int h, int w, int border, int inside) {
        byte[] pixels = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean edge = y == 0 || y == h - 1 || x == 0 || x == w - 1;
                pixels[y * w + x] = (byte) (edge ? border : inside);
            }
        }
        return pixels;
    }

    @Test
    void theBorderDecidesNotTheObject() {
        assertEquals(Background.DARK, Background.of(framed(8, 8, 10, 250), 1, 8, 8));
        assertEquals(Background.LIGHT, Background.of(framed(8, 8, 240, 5), 1, 8, 8));
        assertEquals(Background.DARK, Background.of(framed(1, 1, 127, 0), 1, 1, 1)); // 127/255 < 0.5
        assertEquals(Background.LIGHT, Background.of(framed(1, 1, 128, 0), 1, 1, 1));
    }

    @Test
    void ninetyPercentMustAgreeElseMixed() {
        // a 6 × 6 picture has 20 border pixels: 18 dark (90 %) is dark, 17 (85 %) is mixed
        byte[] pixels = framed(6, 6, 0, 0);
        int[] border = {0, 1, 2, 3}; // positions on the top row
        for (int i = 0; i < 2; i++) {
            pixels[border[i]] = (byte) 255;
        }
        assertEquals(Background.DARK, Background.of(pixels, 1, 6, 6));
        pixels[border[2]] = (byte) 255;
        assertEquals(Background.MIXED, Background.of(pixels, 1, 6, 6));
        // half light, half dark: mixed, though the mean is exactly in the middle
        byte[] halves = new byte[6 * 6];
        for (int y = 0; y < 6; y++) {
            Arrays.fill(halves, y * 6, y * 6 + 3, (byte) 255);
        }
        assertEquals(Background.MIXED, Background.of(halves, 1, 6, 6));
    }

    @Test
    void channelsAreAveragedPerPixel() {
        // red 255, green 255, blue 0: (255 + 255 + 0) / 3 / 255 = 0.667, light
        int plane = 4 * 4;
        byte[] rgb = new byte[3 * plane];
        Arrays.fill(rgb, 0, 2 * plane, (byte) 255);
        assertEquals(Background.LIGHT, Background.of(rgb, 3, 4, 4));
        assertEquals(2.0 / 3, Background.borderMean(rgb, 3, 4, 4), 1e-12);
    }

    @Test
    void aTrainingSetCountsAllItsBordersTogether() {
        byte[] dark = framed(5, 5, 0, 200);
        byte[] light = framed(5, 5, 255, 0);
        int n = 20;
        byte[] nineteenDarkOneLight = new byte[n * 25];
        for (int i = 0; i < n; i++) {
            System.arraycopy(i == 0 ? light : dark, 0, nineteenDarkOneLight, i * 25, 25);
        }
        ImageDataset set = new ImageDataset(nineteenDarkOneLight, 1, 5, 5, new int[n], List.of("a"));
        assertEquals(Background.DARK, Background.of(set));
        byte[] half = new byte[n * 25];
        for (int i = 0; i < n; i++) {
            System.arraycopy(i % 2 == 0 ? light : dark, 0, half, i * 25, 25);
        }
        assertEquals(Background.MIXED, Background.of(new ImageDataset(half, 1, 5, 5, new int[n], List.of("a"))));
    }

    @Test
    void invertingMirrorsEachByteAndTheBackground() {
        byte[] pixels = {0, 1, (byte) 128, (byte) 255};
        assertArrayEquals(new byte[] {(byte) 255, (byte) 254, 127, 0}, Background.invert(pixels));
        assertEquals(Background.LIGHT, Background.of(Background.invert(framed(4, 4, 3, 99)), 1, 4, 4));
        assertEquals(Background.MIXED, Background.MIXED.opposite());
        assertEquals(Background.DARK, Background.of("Dark"));
    }

    @Test
    void onlyAClearlyOppositePictureIsInvertedForAModel() {
        byte[] light = framed(8, 8, 240, 5);
        byte[] dark = framed(8, 8, 10, 250);
        byte[] mixed = new byte[64];
        for (int i = 0; i < 64; i++) {
            mixed[i] = (byte) (i % 2 == 0 ? 0 : 255);                        // half the border each side
        }
        assertTrue(Background.DARK.opposedBy(light, 1, 8, 8));
        assertFalse(Background.DARK.opposedBy(dark, 1, 8, 8));
        assertTrue(Background.LIGHT.opposedBy(dark, 1, 8, 8));
        assertFalse(Background.DARK.opposedBy(mixed, 1, 8, 8));
        assertFalse(Background.MIXED.opposedBy(mixed, 1, 8, 8));          // MIXED's opposite is MIXED: still never
        assertFalse(Background.MIXED.opposedBy(light, 1, 8, 8));
    }
}

package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransformTest {

    /** Two images [2, 2, 1, 3]: channel c of image i holds 100·i + 10·c + column. */
    private static TensorDataset images() {
        float[] values = new float[2 * 2 * 3];
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 2; c++) {
                for (int w = 0; w < 3; w++) {
                    values[(i * 2 + c) * 3 + w] = 100 * i + 10 * c + w;
                }
            }
        }
        return new TensorDataset(Tensor.of(values, 2, 2, 1, 3), Tensor.vector(0, 1));
    }

    @Test
    void normalizeSubtractsTheMeanAndDividesByTheStdOfEachChannel() {
        Batch batch = images().map(Transform.normalize(new float[] {1, 10}, new float[] {2, 4})).batch(new int[] {1});
        assertArrayEquals(new float[] {49.5f, 50, 50.5f, 25, 25.25f, 25.5f}, batch.inputs().toArray());
        assertArrayEquals(new float[] {1}, batch.targets().toArray());
    }

    @Test
    void flipWithProbabilityOneMirrorsEveryRowAndZeroChangesNothing() {
        TensorDataset data = images();
        float[] flipped = data.map(Transform.randomHorizontalFlip(1, new Generator(0))).batch(new int[] {0}).inputs().toArray();
        assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10}, flipped);
        float[] kept = data.map(Transform.randomHorizontalFlip(0, new Generator(0))).batch(new int[] {0}).inputs().toArray();
        assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12}, kept);
    }

    @Test
    void randomFlipsRepeatForASeedAndFlipAboutHalfTheImages() {
        Tensor ones = Tensor.arange(3).reshape(1, 1, 1, 3).expand(400, 1, 1, 3).contiguous();
        TensorDataset data = new TensorDataset(ones, Tensor.zeros(400));
        int[] all = new int[400];
        Arrays.setAll(all, i -> i);
        float[] first = data.map(Transform.randomHorizontalFlip(0.5, new Generator(3))).batch(all).inputs().toArray();
        float[] again = data.map(Transform.randomHorizontalFlip(0.5, new Generator(3))).batch(all).inputs().toArray();
        float[] other = data.map(Transform.randomHorizontalFlip(0.5, new Generator(4))).batch(all).inputs().toArray();
        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
        int flipped = 0;
        for (int i = 0; i < 400; i++) {
            flipped += first[3 * i] == 2 ? 1 : 0;
        }
        assertTrue(flipped > 150 && flipped < 250, "flipped " + flipped + " of 400 (expected about 200)");
    }

    @Test
    void andThenAppliesInOrder() {
        Transform twice = Transform.normalize(new float[] {0, 0}, new float[] {2, 2})
                .andThen(Transform.normalize(new float[] {1, 1}, new float[] {1, 1}));
        assertArrayEquals(new float[] {-1, -0.5f, 0, 4, 4.5f, 5}, images().map(twice).batch(new int[] {0}).inputs().toArray());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> Transform.normalize(new float[] {0}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Transform.randomHorizontalFlip(1.5, new Generator(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> images().map(Transform.normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1})).batch(new int[] {0}));
        assertEquals("normalize: inputs [1, 2, 1, 3] need 3 channels in dimension 1", e.getMessage());
        assertEquals(2, images().map(batch -> batch).size());
    }
}

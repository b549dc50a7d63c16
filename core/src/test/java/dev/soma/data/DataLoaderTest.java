package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batching, order and shuffling of {@link DataLoader}, and the rows {@link TensorDataset} picks. Example
 * i has input row {@code [i, -i]} and target {@code 100 + i}, so every batch names its examples and
 * shows whether inputs and targets stayed paired.
 */
class DataLoaderTest {

    /** n examples: inputs [n, 2] with row i = (i, -i), targets [n] with 100 + i. */
    private static TensorDataset numbered(int n) {
        float[][] rows = new float[n][];
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            rows[i] = new float[] {i, -i};
            targets[i] = 100 + i;
        }
        return new TensorDataset(n == 0 ? Tensor.zeros(0, 2) : Tensor.matrix(rows), Tensor.of(targets, n));
    }

    /** The example indices of one batch, checking that each input row matches its target. */
    private static int[] indicesOf(Batch batch) {
        assertEquals(2, batch.inputs().dim());
        assertEquals(batch.inputs().size(0), batch.targets().size(0));
        int[] indices = new int[batch.size()];
        for (int r = 0; r < batch.size(); r++) {
            int i = (int) batch.inputs().get(r, 0);
            assertEquals(-i, (int) batch.inputs().get(r, 1), "row " + r + " of the inputs is not one example");
            assertEquals(100 + i, (int) batch.targets().get(r), "row " + r + ": input and target come from different examples");
            indices[r] = i;
        }
        return indices;
    }

    /** One pass of the loader: the example indices of each batch, in order. */
    private static List<int[]> epoch(DataLoader loader) {
        List<int[]> batches = new ArrayList<>();
        for (Batch batch : loader) {
            batches.add(indicesOf(batch));
        }
        return batches;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] sizes(List<int[]> batches) {
        return batches.stream().mapToInt(b -> b.length).toArray();
    }

    @Test
    void keepsTheLastPartialBatch() {
        DataLoader loader = new DataLoader(numbered(10), 3);
        assertEquals(4, loader.batches());
        List<int[]> batches = epoch(loader);
        assertArrayEquals(new int[] {3, 3, 3, 1}, sizes(batches));
    }

    @Test
    void dropsTheLastPartialBatch() {
        DataLoader loader = DataLoader.builder(numbered(10)).batchSize(3).shuffle(true).dropLast(true)
                .generator(new Generator(1)).build();
        assertEquals(3, loader.batches());
        for (int pass = 0; pass < 3; pass++) {
            List<int[]> batches = epoch(loader);
            assertArrayEquals(new int[] {3, 3, 3}, sizes(batches));
            assertEquals(9, Arrays.stream(flatten(batches)).distinct().count(), "an example repeats within a pass");
        }
    }

    @Test
    void dropLastKeepsAWholeFinalBatch() {
        DataLoader kept = new DataLoader(numbered(9), 3);
        DataLoader dropped = DataLoader.builder(numbered(9)).batchSize(3).dropLast(true).build();
        assertArrayEquals(new int[] {3, 3, 3}, sizes(epoch(kept)));
        assertArrayEquals(new int[] {3, 3, 3}, sizes(epoch(dropped)));
    }

    @Test
    void batchLargerThanTheDataset() {
        assertArrayEquals(new int[] {5}, sizes(epoch(new DataLoader(numbered(5), 8))));
        DataLoader dropped = DataLoader.builder(numbered(5)).batchSize(8).dropLast(true).build();
        assertEquals(0, dropped.batches());
        assertFalse(dropped.iterator().hasNext());
    }

    @Test
    void anEmptyDatasetHasNoBatches() {
        DataLoader loader = new DataLoader(numbered(0), 4, true, new Generator(1));
        assertEquals(0, loader.batches());
        assertFalse(loader.iterator().hasNext());
    }

    @Test
    void theIteratorEndsAfterTheLastBatch() {
        var iterator = new DataLoader(numbered(4), 2).iterator();
        iterator.next();
        iterator.next();
        assertFalse(iterator.hasNext());
        assertThrows(java.util.NoSuchElementException.class, iterator::next);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 10, 11})
    void everyExampleAppearsExactlyOncePerEpoch(int batchSize) {
        DataLoader loader = new DataLoader(numbered(10), batchSize, true, new Generator(7));
        int[] all = IntStream.range(0, 10).toArray();
        for (int pass = 0; pass < 5; pass++) {
            int[] seen = flatten(epoch(loader));
            Arrays.sort(seen);
            assertArrayEquals(all, seen, "pass " + pass);
        }
    }

    @Test
    void withoutShuffleTheOrderIsTheDatasetsInEveryPass() {
        DataLoader loader = new DataLoader(numbered(10), 3);
        for (int pass = 0; pass < 3; pass++) {
            List<int[]> batches = epoch(loader);
            assertArrayEquals(new int[] {0, 1, 2}, batches.get(0));
            assertArrayEquals(new int[] {9}, batches.get(3));
            assertArrayEquals(IntStream.range(0, 10).toArray(), flatten(batches));
        }
    }

    @Test
    void shuffleDrawsAFreshOrderEachEpoch() {
        DataLoader loader = new DataLoader(numbered(10), 3, true, new Generator(42));
        int[] first = flatten(epoch(loader));
        int[] second = flatten(epoch(loader));
        int[] third = flatten(epoch(loader));
        assertFalse(Arrays.equals(first, IntStream.range(0, 10).toArray()), "the first pass was not shuffled");
        assertFalse(Arrays.equals(first, second), "two epochs had the same order");
        assertFalse(Arrays.equals(second, third), "two epochs had the same order");
    }

    @Test
    void theSameSeedGivesTheSameBatches() {
        DataLoader a = new DataLoader(numbered(10), 3, true, new Generator(42));
        DataLoader b = new DataLoader(numbered(10), 3, true, new Generator(42));
        DataLoader other = new DataLoader(numbered(10), 3, true, new Generator(43));
        boolean otherDiffers = false;
        for (int pass = 0; pass < 4; pass++) {
            List<int[]> fromA = epoch(a);
            List<int[]> fromB = epoch(b);
            assertEquals(fromA.size(), fromB.size());
            for (int i = 0; i < fromA.size(); i++) {
                assertArrayEquals(fromA.get(i), fromB.get(i), "pass " + pass + ", batch " + i);
            }
            otherDiffers |= !Arrays.equals(flatten(fromA), flatten(epoch(other)));
        }
        assertTrue(otherDiffers, "a different seed gave the same orders");
    }

    @Test
    void eachPassIsTheNextPermutationOfItsGenerator() {
        DataLoader loader = new DataLoader(numbered(10), 4, true, new Generator(5));
        Generator same = new Generator(5);
        for (int pass = 0; pass < 3; pass++) {
            assertArrayEquals(same.permutation(10), flatten(epoch(loader)), "pass " + pass);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPassStartedAtBatchKIsTheRestOfTheSamePass(boolean prefetch) {
        // 11 examples in batches of 3: batches 0..3, the last holding 2. Restoring the generator's
        // state at the epoch's start and starting at batch k gives the batches k.. of that very epoch.
        Generator g = new Generator(8);
        DataLoader loader = DataLoader.builder(numbered(11)).batchSize(3).shuffle(true).generator(g)
                .prefetch(prefetch).build();
        epoch(loader);                                 // move on to a second epoch's state
        Generator.State start = g.state();
        List<int[]> whole = epoch(loader);
        Generator.State after = g.state();
        for (int k = 0; k <= 4; k++) {
            g.setState(start);
            List<int[]> rest = new ArrayList<>();
            loader.iterator(k).forEachRemaining(batch -> rest.add(indicesOf(batch)));
            assertEquals(4 - k, rest.size(), "batches left after starting at " + k);
            for (int i = 0; i < rest.size(); i++) {
                assertArrayEquals(whole.get(k + i), rest.get(i), "start " + k + ", batch " + (k + i));
            }
            assertEquals(after, g.state(), "the generator after a pass started at " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> loader.iterator(5));
        assertThrows(IllegalArgumentException.class, () -> loader.iterator(-1));
    }

    @Test
    void theBuilderNamesEveryOptionAndKeepsPyTorchsDefaults() {
        DataLoader defaults = DataLoader.builder(numbered(3)).build();
        assertEquals(1, defaults.batchSize());
        assertFalse(defaults.prefetch());
        assertArrayEquals(new int[] {1, 1, 1}, sizes(epoch(defaults)));
        assertArrayEquals(new int[] {0, 1, 2}, flatten(epoch(defaults)));

        DataLoader named = DataLoader.builder(numbered(10)).batchSize(4).shuffle(true).dropLast(true)
                .generator(new Generator(8)).prefetch(true).build();
        assertEquals(4, named.batchSize());
        assertTrue(named.prefetch());
        assertEquals(2, named.batches());
        int[] order = new Generator(8).permutation(10);
        assertArrayEquals(Arrays.copyOf(order, 8), flatten(epoch(named)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -64})
    void rejectsABadBatchSize(int batchSize) {
        TensorDataset data = numbered(4);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(data, batchSize));
        assertTrue(error.getMessage().contains("batch size must be > 0, got " + batchSize), error.getMessage());
    }

    @Test
    void tensorDatasetRejectsMismatchedFirstDimensions() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(3)));
        assertTrue(error.getMessage().contains("[4, 2]"), error.getMessage());
        assertTrue(error.getMessage().contains("[3]"), error.getMessage());
    }

    @Test
    void tensorDatasetRejectsScalars() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.scalar(1), Tensor.zeros(1)));
        assertTrue(error.getMessage().contains("[]"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(1, 2), Tensor.scalar(0)));
    }

    @Test
    void batchPicksTheRowsAskedForInThatOrder() {
        TensorDataset data = numbered(6);
        assertEquals(6, data.size());
        Batch batch = data.batch(new int[] {4, 0, 5, 2});
        assertEquals(4, batch.size());
        assertArrayEquals(new int[] {4, 2}, batch.inputs().shape());
        assertArrayEquals(new int[] {4}, batch.targets().shape());
        assertArrayEquals(new float[] {4, -4, 0, 0, 5, -5, 2, -2}, batch.inputs().toArray());
        assertArrayEquals(new float[] {104, 100, 105, 102}, batch.targets().toArray());
        assertArrayEquals(new int[] {4, 0, 5, 2}, indicesOf(batch));
    }

    @Test
    void batchMayRepeatAnExample() {
        Batch batch = numbered(3).batch(new int[] {1, 1});
        assertArrayEquals(new int[] {1, 1}, indicesOf(batch));
    }

    @Test
    void batchesOfHigherRankExamplesKeepTheirTrailingShape() {
        Tensor inputs = Tensor.arange(24).reshape(4, 2, 3);
        Tensor targets = Tensor.arange(8).reshape(4, 2);
        Batch batch = new TensorDataset(inputs, targets).batch(new int[] {3, 1});
        assertArrayEquals(new int[] {2, 2, 3}, batch.inputs().shape());
        assertArrayEquals(new float[] {18, 19, 20, 21, 22, 23, 6, 7, 8, 9, 10, 11}, batch.inputs().toArray());
        assertArrayEquals(new float[] {6, 7, 2, 3}, batch.targets().toArray());
    }

    @Test
    void theDatasetDoesNotCarryTheCallersGraph() {
        Tensor inputs = Tensor.zeros(3, 2).requiresGrad(true);
        TensorDataset data = new TensorDataset(inputs, Tensor.zeros(3));
        assertFalse(data.inputs().requiresGrad());
        assertFalse(data.batch(new int[] {0, 2}).inputs().requiresGrad());
    }

    @Test
    void positionsAreTheExamplesOfEachBatchTheIteratorBuildsFromTheSameDraw() {
        float[] ids = new float[23];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        TensorDataset data = new TensorDataset(Tensor.vector(ids), Tensor.zeros(23));
        DataLoader loader = new DataLoader(data, 5, true, new Generator(8));
        Generator.State start = loader.generator().state();
        int[][] positions = loader.positions(2);
        Generator.State after = loader.generator().state();
        assertEquals(3, positions.length);                                 // batches 2, 3, 4 of 5; the last holds 3
        assertEquals(3, positions[2].length);
        loader.generator().setState(start);
        List<Batch> batches = new ArrayList<>();
        loader.iterator(2).forEachRemaining(batches::add);
        assertEquals(after, loader.generator().state());
        for (int k = 0; k < positions.length; k++) {
            float[] expected = new float[positions[k].length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = positions[k][i];
            }
            assertArrayEquals(expected, batches.get(k).inputs().toArray());
        }
        assertThrows(IllegalArgumentException.class, () -> loader.positions(6));
    }
}

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
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
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
        DataLoader loader = new DataLoader(numbered(10), 3, false, false, new Generator(1));
        assertEquals(4, loader.batches());
        List<int[]> batches = epoch(loader);
        assertArrayEquals(new int[] {3, 3, 3, 1}, sizes(batches));
    }

    @Test
    void dropsTheLastPartialBatch() {
        DataLoader loader = new DataLoader(numbered(10), 3, true, true, new Generator(1));
        assertEquals(3, loader.batches());
        for (int pass = 0; pass < 3; pass++) {
            List<int[]> batches = epoch(loader);
            assertArrayEquals(new int[] {3, 3, 3}, sizes(batches));
            assertEquals(9, Arrays.stream(flatten(batches)).distinct().count(), "an example repeats within a pass");
        }
    }

    @Test
    void dropLastKeepsAWholeFinalBatch() {
        DataLoader kept = new DataLoader(numbered(9), 3, false, false, new Generator(1));
        DataLoader dropped = new DataLoader(numbered(9), 3, false, true, new Generator(1));
        assertArrayEquals(new int[] {3, 3, 3}, sizes(epoch(kept)));
        assertArrayEquals(new int[] {3, 3, 3}, sizes(epoch(dropped)));
    }

    @Test
    void batchLargerThanTheDataset() {
        assertArrayEquals(new int[] {5}, sizes(epoch(new DataLoader(numbered(5), 8))));
        DataLoader dropped = new DataLoader(numbered(5), 8, false, true, new Generator(1));
        assertEquals(0, dropped.batches());
        assertFalse(dropped.iterator().hasNext());
    }

    @Test
    void anEmptyDatasetHasNoBatches() {
        DataLoader loader = new DataLoader(numbered(0), 4, true, false, new Generator(1));
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
        DataLoader loader = new DataLoader(numbered(10), batchSize, true, false, new Generator(7));
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
        DataLoader loader = new DataLoader(numbered(10), 3, true, false, new Generator(42));
        int[] first = flatten(epoch(loader));
        int[] second = flatten(epoch(loader));
        int[] third = flatten(epoch(loader));
        assertFalse(Arrays.equals(first, IntStream.range(0, 10).toArray()), "the first pass was not shuffled");
        assertFalse(Arrays.equals(first, second), "two epochs had the same order");
        assertFalse(Arrays.equals(second, third), "two epochs had the same order");
    }

    @Test
    void theSameSeedGivesTheSameBatches() {
        DataLoader a = new DataLoader(numbered(10), 3, true, false, new Generator(42));
        DataLoader b = new DataLoader(numbered(10), 3, true, false, new Generator(42));
        DataLoader other = new DataLoader(numbered(10), 3, true, false, new Generator(43));
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

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 17, 100})
    void permutationHoldsEachIndexOnce(int n) {
        Generator generator = new Generator(n);
        for (int draw = 0; draw < 20; draw++) {
            int[] order = DataLoader.permutation(n, generator);
            assertEquals(n, order.length);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, n).toArray(), sorted, Arrays.toString(order));
        }
    }

    /** The number of draws for the uniformity check: 6 orders of 3 elements, 10 000 expected of each. */
    private static final int DRAWS = 60_000;
    /**
     * χ² with 5 degrees of freedom exceeds 35 with probability below 2·10⁻⁶, so a fair shuffle passes
     * (and, seeded, passes every time); the biased shuffles below score in the hundreds or thousands.
     */
    private static final double CHI_SQUARE_BOUND = 35;

    /** Pearson's χ² of the 6 orders of 3 elements drawn {@code DRAWS} times, against equal counts. */
    private static double chiSquare(java.util.function.Function<Generator, int[]> shuffle) {
        Generator generator = new Generator(2024);
        Map<String, Integer> counts = new TreeMap<>();
        for (int draw = 0; draw < DRAWS; draw++) {
            counts.merge(Arrays.toString(shuffle.apply(generator)), 1, Integer::sum);
        }
        double expected = DRAWS / 6.0;
        double chiSquare = (6 - counts.size()) * expected; // each order never drawn adds (0 - E)²/E
        for (int count : counts.values()) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        return chiSquare;
    }

    /** The order 0, 1, 2 after the given swapping loop. */
    private static int[] swapShuffle(Generator generator, BiConsumer<int[], Generator> swaps) {
        int[] order = {0, 1, 2};
        swaps.accept(order, generator);
        return order;
    }

    private static void swap(int[] order, int i, int j) {
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }

    @Test
    void permutationIsUniform() {
        double chiSquare = chiSquare(g -> DataLoader.permutation(3, g));
        assertTrue(chiSquare < CHI_SQUARE_BOUND, "χ² of the 6 orders is " + chiSquare);
    }

    @Test
    void theUniformityCheckRejectsBiasedShuffles() {
        // The classic mistake: swapping with any position, nextInt(n), gives 27 equally likely paths onto
        // 6 orders, so some orders come 5/27 of the time and others 4/27.
        double naive = chiSquare(g -> swapShuffle(g, (order, gen) -> {
            for (int i = 2; i > 0; i--) {
                swap(order, i, gen.nextInt(3));
            }
        }));
        // Off by one, nextInt(i): Sattolo's algorithm, which only makes cycles (2 of the 6 orders).
        double sattolo = chiSquare(g -> swapShuffle(g, (order, gen) -> {
            for (int i = 2; i > 0; i--) {
                swap(order, i, gen.nextInt(i));
            }
        }));
        assertTrue(naive > CHI_SQUARE_BOUND, "the nextInt(n) shuffle passed with χ² " + naive);
        assertTrue(sattolo > CHI_SQUARE_BOUND, "the nextInt(i) shuffle passed with χ² " + sattolo);
    }

    @Test
    void permutationIsDeterministicForASeed() {
        assertArrayEquals(DataLoader.permutation(50, new Generator(9)), DataLoader.permutation(50, new Generator(9)));
        assertFalse(Arrays.equals(DataLoader.permutation(50, new Generator(9)),
                DataLoader.permutation(50, new Generator(10))));
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
}

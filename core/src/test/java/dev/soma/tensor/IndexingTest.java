package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static dev.soma.testing.TensorAssertions.indices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexingTest {

    private static Tensor base() {
        return Tensor.arange(24).view(2, 3, 4);   // (i, j, k) holds 12i + 4j + k
    }

    // ---------------------------------------------------------------- indexSelect

    @Test
    void indexSelectPicksSlicesInOrderWithRepeatsAndNegatives() {
        Tensor m = Tensor.arange(12).view(3, 4);
        assertValues(m.indexSelect(0, longs(2, 0, 2)), new int[] {3, 4},
                8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
        assertValues(m.indexSelect(1, longs(-1, 1)), new int[] {3, 2}, 3, 1, 7, 5, 11, 9);
        assertValues(m.indexSelect(-1, Tensor.zeros(DType.INT64)), new int[] {3, 1}, 0, 4, 8);
        assertValues(m.indexSelect(0, Tensor.zeros(DType.INT64, 0)), new int[] {0, 4});
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {0, 1, 2})
    void indexSelectMatchesALoop(int dim) {
        Tensor x = base().transpose(0, 2).contiguous().transpose(0, 2);  // same values, not contiguous
        Tensor index = longs(1, 0, 1, -1);
        Tensor out = x.indexSelect(dim, index);
        int[] shape = x.shape();
        shape[dim] = 4;
        float[] expected = new float[24 * 4 / x.size(dim)];
        int e = 0;
        for (int[] i : indices(shape)) {
            int[] source = i.clone();
            int pick = (int) index.get(i[dim]);
            source[dim] = pick < 0 ? pick + x.size(dim) : pick;
            expected[e++] = x.get(source);
        }
        assertValues(out, shape, expected);
    }

    @Test
    void indexSelectRejectsBadIndices() {
        Tensor m = Tensor.arange(6).view(3, 2);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> m.indexSelect(0, longs(0, 3)));
        assertEquals("indexSelect: index 3 (position 1) is out of range for dim 0 of size 3", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> m.indexSelect(1, longs(-3)));
        assertEquals("indexSelect: index -3 (position 0) is out of range for dim 1 of size 2", e.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> m.indexSelect(0, Tensor.vector(0.5f)));
        assertEquals("indexSelect: expected an int64 or int32 index tensor, got float32 (convert with toLong())",
                type.getMessage());
        assertValues(m.indexSelect(0, Tensor.ofInts(new int[] {2}, 1)), new int[] {1, 2}, 4, 5);
        var rank = assertThrows(IllegalArgumentException.class, () -> m.indexSelect(0, Tensor.zeros(DType.INT64, 1, 1)));
        assertEquals("indexSelect: index must be rank 0 or 1, got shape [1, 1]", rank.getMessage());
    }

    // ---------------------------------------------------------------- gather and scatterAdd

    @Test
    void gatherFollowsPyTorchsExample() {
        // torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])) = [[1, 1], [4, 3]]
        Tensor t = Tensor.matrix(new float[][] {{1, 2}, {3, 4}});
        assertValues(t.gather(1, Tensor.matrix(new float[][] {{0, 0}, {1, 0}}).toLong()), new int[] {2, 2}, 1, 1, 4, 3);
        assertValues(t.gather(0, Tensor.matrix(new float[][] {{1, 0}}).toLong()), new int[] {1, 2}, 3, 2);
        assertValues(t.gather(-1, Tensor.matrix(new float[][] {{-1}, {0}}).toLong()), new int[] {2, 1}, 2, 3);
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {0, 1, 2})
    void gatherMatchesALoop(int dim) {
        Tensor x = base().permute(1, 2, 0).contiguous().permute(2, 0, 1);  // not contiguous
        int[] indexShape = {2, 2, 3};
        float[] picks = new float[12];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = (i * 7 + 1) % x.size(dim);
        }
        Tensor index = Tensor.of(picks, indexShape).toLong();
        Tensor out = x.gather(dim, index);
        float[] expected = new float[12];
        int e = 0;
        for (int[] i : indices(indexShape)) {
            int[] source = i.clone();
            source[dim] = (int) index.get(i);
            expected[e++] = x.get(source);
        }
        assertValues(out, indexShape, expected);
    }

    @Test
    void gatherRejectsMismatchedIndex() {
        Tensor t = Tensor.zeros(2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> t.gather(1, longs(0, 1)));
        assertEquals("gather: index has rank 1 [2], the tensor has rank 2 [2, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.gather(1, Tensor.zeros(DType.INT64, 3, 1)));
        assertEquals("gather: index shape [3, 1] is larger than the tensor's [2, 2] in dim 0", e.getMessage());
        var range = assertThrows(IndexOutOfBoundsException.class,
                () -> t.gather(1, Tensor.matrix(new float[][] {{0, 2}}).toLong()));
        assertEquals("gather: index 2 (position 1) is out of range for dim 1 of size 2", range.getMessage());
    }

    @Test
    void scatterAddAccumulatesRepeatedIndices() {
        Tensor x = Tensor.vector(10, 20, 30);
        Tensor out = x.scatterAdd(0, longs(0, 1, 0, 2, 0), Tensor.vector(1, 2, 3, 4, 5));
        assertValues(out, new int[] {3}, 19, 22, 34);
        assertValues(x, new int[] {3}, 10, 20, 30);
        Tensor m = Tensor.zeros(2, 4);
        Tensor index = Tensor.matrix(new float[][] {{3, 3, 0}, {1, -4, 1}}).toLong();
        Tensor source = Tensor.matrix(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertValues(m.scatterAdd(1, index, source), new int[] {2, 4}, 3, 0, 0, 3, 5, 10, 0, 0);
        assertValues(m.scatterAdd(0, Tensor.matrix(new float[][] {{1, 1, 0}}).toLong(), Tensor.matrix(new float[][] {{1, 2, 3}})),
                new int[] {2, 4}, 0, 0, 3, 0, 1, 2, 0, 0);
    }

    @Test
    void scatterAddIndexMayBeLongerThanTheTargetAlongDim() {
        Tensor index = Tensor.matrix(new float[][] {{0, 2, 2, 1}, {1, 1, 0, 0}}).toLong();
        Tensor source = Tensor.matrix(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
        Tensor out = Tensor.zeros(2, 3).scatterAdd(1, index, source);
        assertValues(out, new int[] {2, 3}, 1, 4, 5, 15, 11, 0);
    }

    @Test
    void scatterAddChecksShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3).scatterAdd(0, longs(0, 1), Tensor.vector(1, 2, 3)));
        assertEquals("scatterAdd: source shape [3] must equal index shape [2]", e.getMessage());
        var range = assertThrows(IndexOutOfBoundsException.class,
                () -> Tensor.zeros(3).scatterAdd(0, longs(5), Tensor.vector(1)));
        assertEquals("scatterAdd: index 5 (position 0) is out of range for dim 0 of size 3", range.getMessage());
    }

    // ---------------------------------------------------------------- oneHot

    @Test
    void oneHotMarksTheClass() {
        assertValues(Tensor.oneHot(longs(0, 2, 1), 3), new int[] {3, 3}, 1, 0, 0, 0, 0, 1, 0, 1, 0);
        assertValues(Tensor.oneHot(longs(0, 3), -1), new int[] {2, 4}, 1, 0, 0, 0, 0, 0, 0, 1);
        assertValues(Tensor.oneHot(Tensor.matrix(new float[][] {{1}, {0}}).toLong(), 2), new int[] {2, 1, 2}, 0, 1, 1, 0);
        assertValues(Tensor.oneHot(Tensor.scalar(1).toLong(), 3), new int[] {3}, 0, 1, 0);
        assertValues(Tensor.oneHot(Tensor.zeros(DType.INT64, 0), 4), new int[] {0, 4});
    }

    @Test
    void oneHotRejectsClassesOutside() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.oneHot(longs(0, 3), 3));
        assertEquals("oneHot: class index 3 (position 1) is out of range for 3 classes", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.oneHot(longs(-1), 3));
        assertEquals("oneHot: class index -1 (position 0) is out of range for 3 classes", e.getMessage());
        var arg = assertThrows(IllegalArgumentException.class, () -> Tensor.oneHot(longs(0), -2));
        assertEquals("oneHot: numClasses must be ≥ 0 or -1, got -2", arg.getMessage());
    }

    // ---------------------------------------------------------------- cat and stack

    @Test
    void catJoinsAlongAnyDimension() {
        Tensor a = Tensor.arange(6).view(2, 3);
        Tensor b = Tensor.arange(6, 10).view(2, 2);
        assertValues(Tensor.cat(List.of(a, b), 1), new int[] {2, 5}, 0, 1, 2, 6, 7, 3, 4, 5, 8, 9);
        assertValues(Tensor.cat(List.of(a, b), -1), new int[] {2, 5}, 0, 1, 2, 6, 7, 3, 4, 5, 8, 9);
        Tensor c = Tensor.vector(-1, -2, -3).view(1, 3);
        assertValues(Tensor.cat(List.of(a, c, a.narrow(0, 1, 1)), 0), new int[] {4, 3},
                0, 1, 2, 3, 4, 5, -1, -2, -3, 3, 4, 5);
        assertValues(Tensor.cat(List.of(a.t(), Tensor.zeros(3, 0)), 1), new int[] {3, 2}, 0, 3, 1, 4, 2, 5);
        Tensor single = Tensor.cat(List.of(a), 0);
        assertValues(single, new int[] {2, 3}, a.toArray());
        single.set(50, 0, 0);
        assertEquals(0f, a.get(0, 0));
    }

    @Test
    void catRejectsMismatches() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.cat(List.of(Tensor.zeros(3, 3), Tensor.zeros(2, 4)), 0));
        assertEquals("cat: tensor 1 has shape [2, 4], tensor 0 has [3, 3]; all sizes but dim 0 must agree", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.cat(List.of(Tensor.zeros(3, 3), Tensor.zeros(3)), 0));
        assertEquals("cat: tensor 1 has shape [3], tensor 0 has [3, 3]; all sizes but dim 0 must agree", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(), 0));
        assertEquals("cat: expects at least one tensor", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.scalar(1)), 0));
        assertEquals("cat: rank-0 tensors cannot be joined; unsqueeze them or use stack", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.zeros(2)), 1));
        assertEquals("cat: dim 1 is out of range for a tensor of rank 1 (expected -1 to 0)", e.getMessage());
    }

    @Test
    void stackAddsADimension() {
        Tensor a = Tensor.vector(1, 2, 3);
        Tensor b = Tensor.vector(4, 5, 6);
        assertValues(Tensor.stack(List.of(a, b), 0), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.stack(List.of(a, b), 1), new int[] {3, 2}, 1, 4, 2, 5, 3, 6);
        assertValues(Tensor.stack(List.of(a, b), -1), new int[] {3, 2}, 1, 4, 2, 5, 3, 6);
        assertValues(Tensor.stack(List.of(a, b), -2), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.stack(List.of(Tensor.scalar(1), Tensor.scalar(2)), 0), new int[] {2}, 1, 2);
        Tensor m = Tensor.arange(4).view(2, 2);
        assertShape(Tensor.stack(List.of(m, m, m), 1), 2, 3, 2);
        assertValues(Tensor.stack(List.of(m, m.mul(10)), 2), new int[] {2, 2, 2}, 0, 0, 1, 10, 2, 20, 3, 30);
    }

    @Test
    void stackRejectsMismatches() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.stack(List.of(Tensor.zeros(2), Tensor.zeros(3)), 0));
        assertEquals("stack: tensor 1 has shape [3], tensor 0 has [2]; all must be equal", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(List.of(), 0));
        assertEquals("stack: expects at least one tensor", e.getMessage());
    }

    // ---------------------------------------------------------------- split and chunk

    @Test
    void splitCutsPiecesOfOneSizeAndALastRemainder() {
        Tensor x = Tensor.arange(5);
        List<Tensor> pieces = x.split(2, 0);
        assertEquals(3, pieces.size());
        assertValues(pieces.get(0), new int[] {2}, 0, 1);
        assertValues(pieces.get(1), new int[] {2}, 2, 3);
        assertValues(pieces.get(2), new int[] {1}, 4);
        pieces.get(1).set(30, 0);
        assertEquals(30f, x.get(2));
        List<Tensor> columns = Tensor.arange(6).view(2, 3).split(2, -1);
        assertValues(columns.get(0), new int[] {2, 2}, 0, 1, 3, 4);
        assertValues(columns.get(1), new int[] {2, 1}, 2, 5);
        assertEquals(1, x.split(10, 0).size());
        assertEquals(1, Tensor.zeros(0).split(2, 0).size());
        var e = assertThrows(IllegalArgumentException.class, () -> x.split(0, 0));
        assertEquals("split: splitSize must be > 0, got 0", e.getMessage());
    }

    @Test
    void chunkFollowsPyTorchsRule() {
        // ceil(size / chunks) per chunk: 5 into 3 gives 2, 2, 1; 6 into 4 gives three chunks of 2.
        assertEquals(List.of(2, 2, 1), Tensor.arange(5).chunk(3, 0).stream().map(t -> t.size(0)).toList());
        assertEquals(List.of(2, 2, 2), Tensor.arange(6).chunk(4, 0).stream().map(t -> t.size(0)).toList());
        assertEquals(List.of(1, 1), Tensor.arange(2).chunk(5, 0).stream().map(t -> t.size(0)).toList());
        assertEquals(List.of(4), Tensor.arange(4).chunk(1, 0).stream().map(t -> t.size(0)).toList());
        List<Tensor> parts = Tensor.arange(12).view(2, 6).chunk(3, 1);
        assertEquals(3, parts.size());
        assertValues(parts.get(2), new int[] {2, 2}, 4, 5, 10, 11);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(4).chunk(0, 0));
        assertEquals("chunk: chunks must be > 0, got 0", e.getMessage());
    }

    private static Tensor longs(long... values) {
        return Tensor.ofLongs(values, values.length);
    }
}

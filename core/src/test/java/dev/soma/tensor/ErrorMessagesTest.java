package dev.soma.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each error names the op, the shapes or values involved, and what would be valid. */
class ErrorMessagesTest {

    private static final Tensor A23 = Tensor.zeros(2, 3);
    private static final Tensor A234 = Tensor.zeros(2, 3, 4);

    static Stream<Arguments> illegalArguments() {
        return Stream.of(
                Arguments.of((Executable) () -> A23.add(Tensor.zeros(4)),
                        "add: shapes [2, 3] and [4] cannot broadcast (dim -1: 3 vs 4)"),
                Arguments.of((Executable) () -> A23.sub(Tensor.zeros(3, 3)),
                        "sub: shapes [2, 3] and [3, 3] cannot broadcast (dim -2: 2 vs 3)"),
                Arguments.of((Executable) () -> Tensor.zeros(5, 1, 4).mul(Tensor.zeros(2, 3, 4)),
                        "mul: shapes [5, 1, 4] and [2, 3, 4] cannot broadcast (dim -3: 5 vs 2)"),
                Arguments.of((Executable) () -> Tensor.zeros(3).div(Tensor.zeros(2)),
                        "div: shapes [3] and [2] cannot broadcast (dim -1: 3 vs 2)"),
                Arguments.of((Executable) () -> A23.maximum(Tensor.zeros(2)),
                        "maximum: shapes [2, 3] and [2] cannot broadcast (dim -1: 3 vs 2)"),
                Arguments.of((Executable) () -> A23.eq(Tensor.zeros(2)),
                        "eq: shapes [2, 3] and [2] cannot broadcast (dim -1: 3 vs 2)"),
                Arguments.of((Executable) () -> A23.pow(Tensor.zeros(2)),
                        "pow: shapes [2, 3] and [2] cannot broadcast (dim -1: 3 vs 2)"),
                Arguments.of((Executable) () -> Tensor.where(Tensor.zeros(DType.BOOL, 2), A23, A23),
                        "where: shapes [2] and [2, 3] cannot broadcast (dim -1: 2 vs 3)"),
                Arguments.of((Executable) () -> A234.sum(3),
                        "sum: dim 3 is out of range for a tensor of rank 3 (expected -3 to 2)"),
                Arguments.of((Executable) () -> A234.mean(-4),
                        "mean: dim -4 is out of range for a tensor of rank 3 (expected -3 to 2)"),
                Arguments.of((Executable) () -> A234.max(new int[] {0, 5}, false),
                        "max: dim 5 is out of range for a tensor of rank 3 (expected -3 to 2)"),
                Arguments.of((Executable) () -> A234.softmax(3),
                        "softmax: dim 3 is out of range for a tensor of rank 3 (expected -3 to 2)"),
                Arguments.of((Executable) () -> A234.logSoftmax(-4),
                        "logSoftmax: dim -4 is out of range for a tensor of rank 3 (expected -3 to 2)"),
                Arguments.of((Executable) () -> A234.transpose(0, 3),
                        "transpose: dim 3 is out of range for a tensor of rank 3 (expected -3 to 2)"),
                Arguments.of((Executable) () -> Tensor.scalar(1).sum(1),
                        "sum: dim 1 is out of range for a tensor of rank 0 (expected -1 to 0)"),
                Arguments.of((Executable) () -> A234.reshape(5, -1),
                        "reshape: shape [5, -1] is invalid for input of shape [2, 3, 4] (24 elements)"),
                Arguments.of((Executable) () -> A234.view(2, 3),
                        "view: shape [2, 3] is invalid for input of shape [2, 3, 4] (24 elements)"),
                Arguments.of((Executable) () -> Tensor.cat(List.of(A23, Tensor.zeros(2, 4)), 0),
                        "cat: tensor 1 has shape [2, 4], tensor 0 has [2, 3]; all sizes but dim 0 must agree"),
                Arguments.of((Executable) () -> Tensor.cat(List.of(A23, A23, A234), 1),
                        "cat: tensor 2 has shape [2, 3, 4], tensor 0 has [2, 3]; all sizes but dim 1 must agree"),
                Arguments.of((Executable) () -> Tensor.stack(List.of(A23, A234), 0),
                        "stack: tensor 1 has shape [2, 3, 4], tensor 0 has [2, 3]; all must be equal"),
                Arguments.of((Executable) () -> A23.expand(2, 4),
                        "expand: shape [2, 3] cannot expand to [2, 4] (dim 1: 3 vs 4; only size-1 dims expand)"),
                Arguments.of((Executable) () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 6)),
                        "matmul: [3, 4] @ [5, 6]: inner dimensions differ (4 vs 5)"),
                Arguments.of((Executable) () -> Tensor.of(new float[] {1, 2}, 3),
                        "of: 2 values cannot fill shape [3] (3 elements)"),
                Arguments.of((Executable) () -> Tensor.zeros(3).max(new int[] {0, -1}, true),
                        "max: dim -1 appears more than once in [0, -1]"),
                Arguments.of((Executable) () -> A23.flatten(1, 0),
                        "flatten: startDim 1 comes after endDim 0"),
                Arguments.of((Executable) () -> A23.split(-2, 0),
                        "split: splitSize must be > 0, got -2"),
                Arguments.of((Executable) () -> A23.unsqueeze(-4),
                        "unsqueeze: dim -4 is out of range for a tensor of rank 2 (expected -3 to 2)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("illegalArguments")
    void illegalArgumentMessages(Executable call, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void indexMessagesNameTheOpAndTheIndex() {
        assertEquals("get: index 5 is out of range for dim 1 of size 3 in shape [2, 3]",
                assertThrows(IndexOutOfBoundsException.class, () -> A23.get(0, 5)).getMessage());
        assertEquals("select: index 2 is out of range for dim 0 of size 2 in shape [2, 3]",
                assertThrows(IndexOutOfBoundsException.class, () -> A23.select(0, 2)).getMessage());
        assertEquals("indexSelect: index 7 (position 2) is out of range for dim 1 of size 3",
                assertThrows(IndexOutOfBoundsException.class,
                        () -> A23.indexSelect(1, Tensor.ofLongs(new long[] {0, 1, 7}, 3))).getMessage());
        assertEquals("narrow: positions [1, 4) are out of range for dim 1 of size 3 in shape [2, 3]",
                assertThrows(IndexOutOfBoundsException.class, () -> A23.narrow(1, 1, 3)).getMessage());
    }

    @Test
    void stateMessages() {
        assertEquals("item: tensor of shape [2, 3] has 6 elements, item() needs exactly 1",
                assertThrows(IllegalStateException.class, A23::item).getMessage());
        assertEquals("view: the tensor of shape [4, 3, 2] with strides [1, 4, 12] is not contiguous;"
                        + " use reshape() or contiguous().view()",
                assertThrows(IllegalStateException.class, () -> A234.transpose(0, 2).view(-1)).getMessage());
    }
}

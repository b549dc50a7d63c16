package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Tensor;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The logic gates' truth tables, written out by hand, row by row. */
class ToyDataTest {

    /** Each gate, by name and factory, with its outputs at (0,0), (0,1), (1,0), (1,1). */
    static Stream<Arguments> gates() {
        return Stream.of(
                Arguments.of("and", (Supplier<TensorDataset>) ToyData::and, new float[] {0, 0, 0, 1}),
                Arguments.of("or", (Supplier<TensorDataset>) ToyData::or, new float[] {0, 1, 1, 1}),
                Arguments.of("nand", (Supplier<TensorDataset>) ToyData::nand, new float[] {1, 1, 1, 0}),
                Arguments.of("xor", (Supplier<TensorDataset>) ToyData::xor, new float[] {0, 1, 1, 0}));
    }

    @Test
    void cornersAreInTruthTableOrder() {
        Tensor corners = ToyData.corners();
        assertArrayEquals(new int[] {4, 2}, corners.shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, corners.toArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gates")
    void truthTable(String name, Supplier<TensorDataset> factory, float[] outputs) {
        for (TensorDataset data : new TensorDataset[] {factory.get(), ToyData.gate(name)}) {
            assertEquals(4, data.size());
            assertArrayEquals(new int[] {4, 2}, data.inputs().shape());
            assertArrayEquals(new int[] {4}, data.targets().shape());
            assertArrayEquals(ToyData.corners().toArray(), data.inputs().toArray());
            assertArrayEquals(outputs, data.targets().toArray(), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gates")
    void truthTableAgreesWithJavasBooleanOperators(String name, Supplier<TensorDataset> factory, float[] outputs) {
        TensorDataset data = factory.get();
        for (int row = 0; row < 4; row++) {
            boolean a = data.inputs().get(row, 0) == 1;
            boolean b = data.inputs().get(row, 1) == 1;
            boolean expected = switch (name) {
                case "and" -> a && b;
                case "or" -> a || b;
                case "nand" -> !(a && b);
                case "xor" -> a ^ b;
                default -> throw new AssertionError(name);
            };
            assertEquals(expected ? 1f : 0f, data.targets().get(row), name + " at (" + a + ", " + b + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xnor", "AND", "", " and"})
    void rejectsAnUnknownGate(String name) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ToyData.gate(name));
        assertTrue(error.getMessage().contains("unknown gate '" + name + "'"), error.getMessage());
        assertTrue(error.getMessage().contains("and, or, nand or xor"), error.getMessage());
    }
}

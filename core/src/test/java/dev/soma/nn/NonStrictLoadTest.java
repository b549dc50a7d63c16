package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code loadStateDict(state, strict = false)}, as PyTorch's: what matches is loaded, the rest is reported. */
class NonStrictLoadTest {

    @Test
    void theMatchingNamesAreLoadedAndTheOthersReturned() {
        Sequential model = new Sequential(new Linear(3, 4, new Generator(1)), new ReLU(), new Linear(4, 2, new Generator(2)));
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("0.weight", Tensor.ones(4, 3));
        state.put("2.bias", Tensor.full(7, 2));
        state.put("9.weight", Tensor.zeros(1));
        state.put("head.scale", Tensor.zeros(1));
        float[] untouched = model.stateDict().get("2.weight").toArray();

        Module.IncompatibleKeys keys = model.loadStateDict(state, false);

        assertEquals(List.of("0.bias", "2.weight"), keys.missingKeys());
        assertEquals(List.of("9.weight", "head.scale"), keys.unexpectedKeys());
        assertArrayEquals(Tensor.ones(4, 3).toArray(), model.stateDict().get("0.weight").toArray());
        assertArrayEquals(new float[] {7, 7}, model.stateDict().get("2.bias").toArray());
        assertArrayEquals(untouched, model.stateDict().get("2.weight").toArray());
        assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state), "strict by default");
    }

    @Test
    void aShapeMismatchIsAnErrorEvenWhenNotStrictAndChangesNothing() {
        Sequential model = new Sequential(new Linear(3, 4, new Generator(1)));
        float[] before = model.stateDict().get("0.bias").toArray();
        Map<String, Tensor> state = Map.of("0.bias", Tensor.ones(4), "0.weight", Tensor.ones(3, 4));
        assertEquals("loadStateDict: size mismatch for 0.weight: the state has shape [3, 4], the module has [4, 3]",
                assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state, false)).getMessage());
        assertArrayEquals(before, model.stateDict().get("0.bias").toArray());
    }

    @Test
    void aFullMatchReturnsNoKeys() {
        Sequential model = new Sequential(new Linear(2, 2, new Generator(1)));
        Module.IncompatibleKeys keys = model.loadStateDict(new Sequential(new Linear(2, 2, new Generator(5))).stateDict());
        assertEquals(List.of(), keys.missingKeys());
        assertEquals(List.of(), keys.unexpectedKeys());
    }
}

package dev.soma.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The facade that chooses between the fused and the composed forms: the setting, the scope, the routing. */
class OpsTest {

    /** The op each public entry point records last, in the form current now. */
    private static List<String> lastOps() {
        Tensor images = Tensor.ones(2, 1, 4, 4).requiresGrad(true);
        Tensor weight = Tensor.ones(3, 1, 3, 3).requiresGrad(true);
        Tensor bias = Tensor.zeros(3).requiresGrad(true);
        Tensor probabilities = Tensor.full(0.5f, 2).requiresGrad(true);
        return List.of(
                Ops.linear(Tensor.ones(2, 4).requiresGrad(true), Tensor.ones(3, 4), Tensor.zeros(3)).gradFnName(),
                Ops.binaryCrossEntropy(probabilities, Tensor.ones(2)).gradFnName(),
                images.conv2d(weight, bias, 1, 1, 1).gradFnName(),
                images.conv2dRelu(weight, bias, 1, 1, 1, true).gradFnName(),
                images.maxPool2d(2, 2, 0, 1).gradFnName());
    }

    private static final List<String> FUSED = List.of("linear", "binaryCrossEntropy", "conv2d",
            "conv2d+RELU_MAX_POOL_2", "maxPool2d");
    /** The last op of each composition: add the bias, negate, add the bias, view the pooled windows. */
    private static final List<String> COMPOSED = List.of("add", "neg", "add", "view", "view");

    @Test
    void eachFormRunsItsOwnOps() {
        try (var scope = Ops.use(Ops.Form.FUSED)) {
            assertEquals(FUSED, lastOps());
        }
        try (var scope = Ops.use(Ops.Form.COMPOSED)) {
            assertEquals(COMPOSED, lastOps());
        }
    }

    @Test
    void scopesNestAndRestoreTheFormBeforeThem() {
        Ops.Form before = Ops.form();
        try (var outer = Ops.use(Ops.Form.COMPOSED)) {
            try (var inner = Ops.use(Ops.Form.FUSED)) {
                assertEquals(Ops.Form.FUSED, Ops.form());
            }
            assertEquals(Ops.Form.COMPOSED, Ops.form());
        }
        assertEquals(before, Ops.form());
    }

    @Test
    void aScopeChangesOnlyItsOwnThread() throws Exception {
        for (Ops.Form form : Ops.Form.values()) { // one of the two differs from the default
            try (var scope = Ops.use(form)) {
                var seen = new CompletableFuture<Ops.Form>();
                Thread.ofPlatform().start(() -> seen.complete(Ops.form())).join();
                assertEquals(Ops.DEFAULT, seen.get());
                assertEquals(form, Ops.form());
            }
        }
    }

    @Test
    void theSettingNamesAFormInAnyCaseAndFallsBackToFused() {
        assertEquals(Ops.Form.FUSED, Ops.Form.parse(null));
        assertEquals(Ops.Form.FUSED, Ops.Form.parse(" "));
        assertEquals(Ops.Form.FUSED, Ops.Form.parse("fused"));
        assertEquals(Ops.Form.COMPOSED, Ops.Form.parse(" Composed "));
        assertEquals(Ops.Form.FUSED, Ops.Form.parse("reference")); // not a form: a warning, and the default
    }
}

package dev.soma.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The checker must be able to fail: wrong forwards and wrong backwards are caught and located. */
class GradCheckSelfTest {

    @Test
    void passesACorrectExpression() {
        GradCheck.of("x·x", x -> x[0].mul(x[0]), r -> r[0].mul(r[0])).input(4, 5).run();
    }

    @Test
    void failsAWrongForward() {
        GradCheck check = GradCheck.of("x·x vs x³", x -> x[0].mul(x[0]), r -> r[0].map(v -> v * v * v)).input(17);
        AssertionError error = assertThrows(AssertionError.class, check::run);
        assertTrue(error.getMessage().contains("forward differs"), error.getMessage());
    }

    @Test
    void failsAWrongShape() {
        GradCheck check = GradCheck.of("sum keeps dim", x -> x[0].sum(new int[] {1}, true),
                r -> r[0].sum(new int[] {1}, false)).input(3, 4);
        AssertionError error = assertThrows(AssertionError.class, check::run);
        assertTrue(error.getMessage().contains("forward shape [3, 1], reference [3]"), error.getMessage());
    }

    @Test
    void failsAHalvedGradient() {
        // Forward x², but one factor is detached: the gradient is x instead of 2x.
        GradCheck check = GradCheck.of("half grad", x -> x[0].detach().mul(x[0]), r -> r[0].mul(r[0])).input(16);
        AssertionError error = assertThrows(AssertionError.class, check::run);
        assertTrue(error.getMessage().contains("gradient of input 0 [16]"), error.getMessage());
    }

    @Test
    void failsAGradientOffByOnePercentOfItsScale() {
        // Forward x² + 0.01x; the detached term drops 0.01 from every element's gradient.
        GradCheck check = GradCheck.of("small loss", x -> x[0].mul(x[0]).add(x[0].detach().mul(0.01f)),
                r -> r[0].mul(r[0]).add(r[0].mul(0.01))).input(Values.uniform(-1, 1), 33);
        assertThrows(AssertionError.class, check::run);
    }

    @Test
    void locatesAWrongGradientInOneElement() {
        // The forward is x itself, but element [1, 2] reaches the output through a detached copy.
        Tensor mask = Tensor.zeros(3, 4).set(1, 1, 2);
        GradCheck check = GradCheck.of("one element detached", x -> Tensor.where(mask.toBool(), x[0].detach(), x[0]),
                r -> r[0]).input(3, 4);
        AssertionError error = assertThrows(AssertionError.class, check::run);
        assertTrue(error.getMessage().contains("differs at 1 of 12 elements"), error.getMessage());
        assertTrue(error.getMessage().contains("input 0 element [1, 2]"), error.getMessage());
    }

    @Test
    void failsAGradientSentToTheWrongInput() {
        // a·b forward as b·b·(a/b), with a/b detached: a gets no gradient at all.
        GradCheck check = GradCheck.of("lost input", x -> x[1].mul(x[1]).mul(x[0].div(x[1]).detach()),
                r -> r[0].mul(r[1])).input(5).input(Values.signedMagnitude(0.5, 2), 5);
        AssertionError error = assertThrows(AssertionError.class, check::run);
        assertTrue(error.getMessage().contains("input 0"), error.getMessage());
    }

    @Test
    void failsAFullyDetachedOutput() {
        GradCheck check = GradCheck.of("detached", x -> x[0].detach().exp(), r -> r[0].map(Math::exp)).input(3);
        AssertionError error = assertThrows(AssertionError.class, check::run);
        assertTrue(error.getMessage().contains("does not require grad"), error.getMessage());
    }

    @Test
    void referenceErfMatchesPublishedValues() {
        // Abramowitz & Stegun, Table 7.1, and erf(3), erf(4) to 16 digits.
        assertEquals(0.5204998778130465, Ref.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Ref.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, Ref.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, Ref.erf(3), 1e-15);
        assertEquals(0.9999999845827421, Ref.erf(4), 1e-15);
    }

    @Test
    void referenceMatmulFollowsPyTorchPromotion() {
        Ref a = Ref.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Ref v = Ref.of(new double[] {1, 0, -1}, 3);
        assertArrayEquals(new double[] {-2, -2}, a.matmul(v).data());
        assertArrayEquals(new int[] {2}, a.matmul(v).shape());
        Ref w = Ref.of(new double[] {1, -1}, 2);
        assertArrayEquals(new double[] {-3, -3, -3}, w.matmul(a).data());
        assertEquals(-2, v.matmul(Ref.of(new double[] {1, 1, 3}, 3)).data()[0]);
        Ref batched = a.reshape(1, 2, 3).expand(4, 2, 3).matmul(a.transpose(0, 1).reshape(1, 3, 2).expand(5, 1, 3, 2));
        assertArrayEquals(new int[] {5, 4, 2, 2}, batched.shape());
        assertEquals(14, batched.get(4, 3, 0, 0));
        assertEquals(77, batched.get(2, 1, 1, 1));
    }
}

package dev.soma.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.testing.Ref;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Exponential} against {@code java.lang.Math} evaluated in double (exp, log, tanh, σ): floats
 * sampled densely over the ranges that matter, within one unit in the last place of the float result
 * and equal to it for all but at most one in ten thousand; the double results within 10⁻¹³ of Math's,
 * relatively, where they are normal numbers; and the special values exactly. erf against the
 * independent {@code Ref.erf}, within its fit's error.
 */
class ExponentialTest {

    private static final int STEP = 10_007;

    /** Every 10,007th float from {@code from} up to {@code to} (both finite), as its bits walk. */
    private static float[] sweep(float from, float to) {
        int count = 0;
        for (float x = from; x <= to; x = next(x)) {
            count++;
        }
        float[] xs = new float[count];
        int i = 0;
        for (float x = from; x <= to; x = next(x)) {
            xs[i++] = x;
        }
        return xs;
    }

    private static float next(float x) {
        int magnitude = Float.floatToIntBits(Math.abs(x));
        if (x < 0) {
            return magnitude > STEP ? -Float.intBitsToFloat(magnitude - STEP) : 0f;
        }
        return Float.intBitsToFloat(magnitude + STEP);
    }

    /** The distance between two floats in units in the last place; 0 for two NaNs and for ±0. */
    static long ulpDistance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float x) {
        int bits = Float.floatToIntBits(x == 0 ? 0f : x);
        return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits;
    }

    private static void checkAgainst(String name, DoubleUnaryOperator ours, DoubleUnaryOperator reference,
                                     float from, float to) {
        float[] xs = sweep(from, to);
        long differ = 0;
        double worstRelative = 0;
        for (float x : xs) {
            double got = ours.applyAsDouble(x);
            double want = reference.applyAsDouble(x);
            long ulps = ulpDistance((float) got, (float) want);
            assertTrue(ulps <= 1, name + "(" + x + "): " + (float) got + " against " + (float) want);
            if (ulps != 0) {
                differ++;
            }
            if (Math.abs(want) >= Double.MIN_NORMAL) {
                worstRelative = Math.max(worstRelative, Math.abs(got - want) / Math.abs(want));
            }
        }
        assertTrue(differ * 10_000L <= xs.length, name + ": " + differ + " of " + xs.length + " floats differ");
        assertTrue(worstRelative < 1e-13, name + ": relative error " + worstRelative);
    }

    @Test
    void expAgreesWithMathExpWhereTheFloatResultIsNeitherZeroNorInfinite() {
        checkAgainst("exp", Exponential::exp, Math::exp, -104f, 89f);
    }

    @Test
    void logAgreesWithMathLogAcrossThePositiveFiniteFloats() {
        checkAgainst("log", Exponential::log, Math::log, Float.MIN_VALUE, Float.MAX_VALUE);
        checkAgainst("log", Exponential::log, Math::log, 0.9f, 1.1f); // ln x near 0, either side of 1
    }

    @Test
    void tanhAgreesWithMathTanhFromTheSeriesToSaturation() {
        checkAgainst("tanh", Exponential::tanh, Math::tanh, -10f, 10f);
        checkAgainst("tanh", Exponential::tanh, Math::tanh, -0.01f, 0.01f); // both sides of the series' 2⁻¹⁰
    }

    @Test
    void sigmoidAgreesWithItsDefinitionInDouble() {
        checkAgainst("sigmoid", Exponential::sigmoid, x -> 1 / (1 + Math.exp(-x)), -104f, 104f);
    }

    @Test
    void specialValuesAreExact() {
        assertEquals(1.0, Exponential.exp(0));
        assertEquals(1.0, Exponential.exp(-0.0));
        assertEquals(Double.POSITIVE_INFINITY, (float) Exponential.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, (float) Exponential.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Exponential.exp(Double.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, (float) Exponential.exp(89f), "e^89 overflows float");
        assertEquals(0f, (float) Exponential.exp(-104f), "e^-104 underflows float");
        assertEquals(Float.MIN_VALUE, (float) Exponential.exp(-103.5f), "the smallest subnormal, as Math's");
        assertEquals(Math.E, Exponential.exp(1), 1e-14);

        assertEquals(0.0, Exponential.log(1));
        assertEquals(Double.NEGATIVE_INFINITY, Exponential.log(0));
        assertEquals(Double.NEGATIVE_INFINITY, Exponential.log(-0.0));
        assertEquals(Double.POSITIVE_INFINITY, Exponential.log(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(Exponential.log(-1)));
        assertTrue(Double.isNaN(Exponential.log(Double.NEGATIVE_INFINITY)));
        assertTrue(Double.isNaN(Exponential.log(Double.NaN)));
        assertEquals((float) Math.log(Float.MIN_VALUE), (float) Exponential.log(Float.MIN_VALUE));
        assertEquals(1.0, Exponential.log(Math.E), 1e-15);

        assertEquals(0.0, Exponential.tanh(0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Exponential.tanh(-0.0)));
        assertEquals(1.0, Exponential.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1.0, Exponential.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, (float) Exponential.tanh(20));
        assertTrue(Double.isNaN(Exponential.tanh(Double.NaN)));
        assertEquals(1e-30f, (float) Exponential.tanh(1e-30f), "tanh x = x for tiny x");

        assertEquals(0.5, Exponential.sigmoid(0));
        assertEquals(0.5, Exponential.sigmoid(-0.0));
        assertEquals(1.0, Exponential.sigmoid(1000));
        assertEquals(0f, (float) Exponential.sigmoid(-1000));
        assertEquals(1.0, Exponential.sigmoid(Double.POSITIVE_INFINITY));
        assertEquals(0f, (float) Exponential.sigmoid(Double.NEGATIVE_INFINITY), "as a float: e^-150 in double");
        assertTrue(Double.isNaN(Exponential.sigmoid(Double.NaN)));
    }

    @Test
    void erfIsWithinItsFitsErrorOfAnIndependentReference() {
        double worst = 0;
        for (float x : sweep(-6f, 6f)) {
            worst = Math.max(worst, Math.abs(Exponential.erf(x) - Ref.erf(x)));
            assertEquals(-Exponential.erf(x), Exponential.erf(-x), "erf is odd, at " + x);
        }
        assertTrue(worst <= 1.3e-7, "erf: absolute error " + worst);
        for (float x : sweep(-0.4999f, 0.4999f)) { // the series (below 0.5): as good as double allows
            assertEquals(Ref.erf(x), Exponential.erf(x), 1e-15 * Math.abs(Ref.erf(x)) + 1e-300, "erf(" + x + ")");
        }
        assertEquals(0.0, Exponential.erf(0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Exponential.erf(-0.0)));
        assertEquals(1.0, Exponential.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Exponential.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Exponential.erf(Double.NaN)));
    }

    @Test
    void tanhIsOddToTheBitAndSigmoidIsSymmetric() {
        for (float x : sweep(0f, 12f)) {
            assertEquals(-Exponential.tanh(x), Exponential.tanh(-x), "tanh(-" + x + ")");
            assertEquals((float) (Exponential.sigmoid(x) + Exponential.sigmoid(-x)), 1f, 1e-7f,
                    "σ(" + x + ") + σ(-x)");
        }
    }

    @Test
    void ulpDistanceCountsRepresentableFloatsBetween() {
        assertEquals(0, ulpDistance(0f, -0f));
        assertEquals(1, ulpDistance(1f, Math.nextUp(1f)));
        assertEquals(2, ulpDistance(-Float.MIN_VALUE, Float.MIN_VALUE));
        assertEquals(0, ulpDistance(Float.NaN, Float.NaN));
        assertEquals(Long.MAX_VALUE, ulpDistance(Float.NaN, 1f));
    }
}

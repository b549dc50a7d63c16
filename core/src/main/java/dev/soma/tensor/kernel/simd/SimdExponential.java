package dev.soma.tensor.kernel.simd;

import static dev.soma.tensor.kernel.Exponential.HIGHEST;
import static dev.soma.tensor.kernel.Exponential.LN2_HI;
import static dev.soma.tensor.kernel.Exponential.LN2_LO;
import static dev.soma.tensor.kernel.Exponential.LOG2E;
import static dev.soma.tensor.kernel.Exponential.LOWEST;
import static dev.soma.tensor.kernel.Exponential.SHIFTER;
import static dev.soma.tensor.kernel.Exponential.SHIFTER_BITS_LESS_BIAS;
import static dev.soma.tensor.kernel.Exponential.T10;
import static dev.soma.tensor.kernel.Exponential.T11;
import static dev.soma.tensor.kernel.Exponential.T2;
import static dev.soma.tensor.kernel.Exponential.T3;
import static dev.soma.tensor.kernel.Exponential.T4;
import static dev.soma.tensor.kernel.Exponential.T5;
import static dev.soma.tensor.kernel.Exponential.T6;
import static dev.soma.tensor.kernel.Exponential.T7;
import static dev.soma.tensor.kernel.Exponential.T8;
import static dev.soma.tensor.kernel.Exponential.T9;
import static dev.soma.tensor.kernel.Exponential.TANH_3;
import static dev.soma.tensor.kernel.Exponential.TANH_5;
import static dev.soma.tensor.kernel.Exponential.TANH_7;
import static dev.soma.tensor.kernel.Exponential.TANH_SERIES_BELOW;

import dev.soma.tensor.kernel.Exponential;
import dev.soma.tensor.kernel.ScalarKernels;
import dev.soma.tensor.kernel.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * EXP, TANH and SIGMOID over runs of floats: {@link Exponential}'s computations in double lanes, the
 * same IEEE operations in the same order, so every result is the scalar one to the bit. Each step
 * takes as many floats as a preferred double vector has lanes (8 with AVX-512), widened to double,
 * computed, and rounded back.
 *
 * <p>All three ops run through one loop that computes {@code e = e^a} (a = x, −|x| or −2|x|) and
 * then all three results, keeping the op's by lane masks fixed before the loop. Separate methods per
 * op, or a switch whose cases yield vectors, were what C2 did not inline or merged into one variable,
 * and then it boxed every vector (49–98 KB allocated per call of 4,096 floats, 3–4× slower).
 */
final class SimdExponential {

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** Floats in a vector of half the width: as many lanes as {@link #DOUBLES}. */
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

    private SimdExponential() {
    }

    /** Whether {@link #map} computes {@code op}. */
    static boolean computes(UnaryOp op) {
        return op == UnaryOp.EXP || op == UnaryOp.TANH || op == UnaryOp.SIGMOID;
    }

    /** {@code y[yOffset + i] = op(x[xOffset + i])} for i in [0, n), op one that {@link #computes}. */
    static void map(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n) {
        if (!computes(op)) {
            throw new IllegalArgumentException(op + " is not computed here");
        }
        VectorMask<Double> sigmoid = DOUBLES.maskAll(op == UnaryOp.SIGMOID);
        VectorMask<Double> tanh = DOUBLES.maskAll(op == UnaryOp.TANH);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        DoubleVector ln2Hi = DoubleVector.broadcast(DOUBLES, LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(DOUBLES, LN2_LO);
        int bound = FLOATS.loopBound(n);
        int i = 0;
        for (; i < bound; i += FLOATS.length()) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FLOATS, x, xOffset + i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector abs = v.abs();
            DoubleVector a = v.blend(abs.neg(), sigmoid).blend(abs.mul(-2), tanh);
            // e = e^a: Exponential.exp
            DoubleVector clamped = a.max(LOWEST).min(HIGHEST);
            DoubleVector shifted = clamped.fma(LOG2E, SHIFTER);
            DoubleVector minusN = shifted.sub(SHIFTER).neg();
            DoubleVector r = minusN.fma(ln2Hi, clamped);
            r = minusN.fma(ln2Lo, r);
            DoubleVector p = DoubleVector.broadcast(DOUBLES, T11);
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T10));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T9));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T8));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T7));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T6));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T5));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T4));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T3));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, T2));
            p = p.fma(r, one);
            p = p.fma(r, one);
            LongVector exponent = ((LongVector) shifted.reinterpretAsLongs()).sub(SHIFTER_BITS_LESS_BIAS);
            DoubleVector e = p.mul(exponent.lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            // σ and tanh: Exponential.sigmoid and Exponential.tanh
            DoubleVector q = one.div(e.add(1));
            DoubleVector s = e.mul(q).blend(q, v.compare(VectorOperators.GE, 0));
            DoubleVector t = one.sub(e).mul(q);
            t = t.blend(t.neg(), v.compare(VectorOperators.LT, 0));
            DoubleVector x2 = v.mul(v);
            DoubleVector series = v.mul(x2.fma(x2.fma(x2.fma(TANH_7, TANH_5), DoubleVector.broadcast(DOUBLES, TANH_3)), one));
            t = t.blend(series, abs.compare(VectorOperators.LT, TANH_SERIES_BELOW));
            e.blend(s, sigmoid).blend(t, tanh).convertShape(VectorOperators.D2F, FLOATS, 0).reinterpretAsFloats()
                    .intoArray(y, yOffset + i);
        }
        // scalar tail
        for (; i < n; i++) {
            y[yOffset + i] = ScalarKernels.apply(op, x[xOffset + i]);
        }
    }
}

package dev.soma.tensor.kernel.simd;

import static dev.soma.tensor.kernel.Exponential.A3;
import static dev.soma.tensor.kernel.Exponential.A5;
import static dev.soma.tensor.kernel.Exponential.A7;
import static dev.soma.tensor.kernel.Exponential.A9;
import static dev.soma.tensor.kernel.Exponential.A11;
import static dev.soma.tensor.kernel.Exponential.A13;
import static dev.soma.tensor.kernel.Exponential.A15;
import static dev.soma.tensor.kernel.Exponential.A17;
import static dev.soma.tensor.kernel.Exponential.A19;
import static dev.soma.tensor.kernel.Exponential.SQRT2;
import static dev.soma.tensor.kernel.Exponential.C0;
import static dev.soma.tensor.kernel.Exponential.C1;
import static dev.soma.tensor.kernel.Exponential.C2;
import static dev.soma.tensor.kernel.Exponential.C3;
import static dev.soma.tensor.kernel.Exponential.C4;
import static dev.soma.tensor.kernel.Exponential.C5;
import static dev.soma.tensor.kernel.Exponential.C6;
import static dev.soma.tensor.kernel.Exponential.C7;
import static dev.soma.tensor.kernel.Exponential.C8;
import static dev.soma.tensor.kernel.Exponential.C9;
import static dev.soma.tensor.kernel.Exponential.E0;
import static dev.soma.tensor.kernel.Exponential.E1;
import static dev.soma.tensor.kernel.Exponential.E2;
import static dev.soma.tensor.kernel.Exponential.E3;
import static dev.soma.tensor.kernel.Exponential.E4;
import static dev.soma.tensor.kernel.Exponential.E5;
import static dev.soma.tensor.kernel.Exponential.E6;
import static dev.soma.tensor.kernel.Exponential.E7;
import static dev.soma.tensor.kernel.Exponential.E8;
import static dev.soma.tensor.kernel.Exponential.E9;
import static dev.soma.tensor.kernel.Exponential.E10;
import static dev.soma.tensor.kernel.Exponential.E11;
import static dev.soma.tensor.kernel.Exponential.E12;
import static dev.soma.tensor.kernel.Exponential.ERF_SERIES_BELOW;
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
 * EXP, LOG, TANH, SIGMOID and ERF over runs of floats: {@link Exponential}'s computations in double
 * lanes, the same IEEE operations in the same order, so every result is the scalar one to the bit.
 * Each step takes as many floats as a preferred double vector has lanes (8 with AVX-512), widened to
 * double, computed, and rounded back.
 *
 * <p>LOG and ERF have loops of their own. The other three ops run through one loop that computes
 * {@code e = e^a} (a = x, −|x| or −2|x|) and then all three results, keeping the op's by lane masks
 * fixed before the loop. Separate methods per op, or a switch whose cases yield vectors, were what C2
 * did not inline or merged into one variable, and then it boxed every vector (49–98 KB allocated per
 * call of 4,096 floats, 3–4× slower).
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
        return op == UnaryOp.EXP || op == UnaryOp.TANH || op == UnaryOp.SIGMOID || op == UnaryOp.LOG
                || op == UnaryOp.ERF;
    }

    /** {@code y[yOffset + i] = op(x[xOffset + i])} for i in [0, n), op one that {@link #computes}. */
    static void map(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n) {
        if (!computes(op)) {
            throw new IllegalArgumentException(op + " is not computed here");
        }
        int i = switch (op) {
            case LOG -> logLoop(x, xOffset, y, yOffset, n);
            case ERF -> erfLoop(x, xOffset, y, yOffset, n);
            default -> expLoop(op, x, xOffset, y, yOffset, n);
        };
        // scalar tail
        for (; i < n; i++) {
            y[yOffset + i] = ScalarKernels.apply(op, x[xOffset + i]);
        }
    }

    /** EXP, TANH or SIGMOID over the whole vectors of the run; returns how many floats it did. */
    private static int expLoop(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n) {
        VectorMask<Double> sigmoid = DOUBLES.maskAll(op == UnaryOp.SIGMOID);
        VectorMask<Double> tanh = DOUBLES.maskAll(op == UnaryOp.TANH);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        DoubleVector ln2Hi = DoubleVector.broadcast(DOUBLES, LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(DOUBLES, LN2_LO);
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
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
            DoubleVector inner = x2.fma(x2.fma(TANH_7, TANH_5), DoubleVector.broadcast(DOUBLES, TANH_3));
            DoubleVector series = v.mul(x2.fma(inner, one));
            t = t.blend(series, abs.compare(VectorOperators.LT, TANH_SERIES_BELOW));
            e.blend(s, sigmoid).blend(t, tanh).convertShape(VectorOperators.D2F, FLOATS, 0).reinterpretAsFloats()
                    .intoArray(y, yOffset + i);
        }
        return bound;
    }

    /**
     * ERF over the whole vectors of the run ({@link Exponential#erf}); returns how many floats it did.
     * Its {@code e^a} is {@link #expLoop}'s, written out again, on purpose (the one pair of repeated
     * lines that {@code duplicates} reports here): as a method of its own ({@code exp(DoubleVector)},
     * 305 bytes of bytecode) C2 declined to inline it ("callee is too large" under
     * {@code -XX:+PrintInlining}), every vector was boxed, and ElementwiseBenchmark's exp went from
     * 24 µs to 5 ms per 4,096 floats, erf from 16 to 28 µs. Rerun:
     * {@code java -jar bench/target/soma-bench.jar 'ElementwiseBenchmark.(erf|exp)$' -p n=4096 -p kernels=active}.
     */
    private static int erfLoop(float[] x, int xOffset, float[] y, int yOffset, int n) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        DoubleVector ln2Hi = DoubleVector.broadcast(DOUBLES, LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(DOUBLES, LN2_LO);
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FLOATS, x, xOffset + i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector x2 = v.mul(v);
            DoubleVector p = x2.fma(E12, E11);
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E10));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E9));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E8));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E7));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E6));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E5));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E4));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E3));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E2));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E1));
            p = x2.fma(p, DoubleVector.broadcast(DOUBLES, E0));
            DoubleVector series = v.mul(p);
            DoubleVector z = v.abs();
            DoubleVector t = one.div(z.fma(0.5, 1));
            DoubleVector q = t.fma(C9, C8);
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C7));
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C6));
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C5));
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C4));
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C3));
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C2));
            q = t.fma(q, DoubleVector.broadcast(DOUBLES, C1));
            DoubleVector a = t.fma(q, DoubleVector.broadcast(DOUBLES, C0)).sub(x2);
            // e = e^a, as in expLoop
            DoubleVector clamped = a.max(LOWEST).min(HIGHEST);
            DoubleVector shifted = clamped.fma(LOG2E, SHIFTER);
            DoubleVector minusN = shifted.sub(SHIFTER).neg();
            DoubleVector r = minusN.fma(ln2Hi, clamped);
            r = minusN.fma(ln2Lo, r);
            DoubleVector e = DoubleVector.broadcast(DOUBLES, T11);
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T10));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T9));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T8));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T7));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T6));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T5));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T4));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T3));
            e = e.fma(r, DoubleVector.broadcast(DOUBLES, T2));
            e = e.fma(r, one);
            e = e.fma(r, one);
            LongVector exponent = ((LongVector) shifted.reinterpretAsLongs()).sub(SHIFTER_BITS_LESS_BIAS);
            e = e.mul(exponent.lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            DoubleVector erfc = t.mul(e);
            DoubleVector tail = erfc.sub(1).blend(one.sub(erfc), v.compare(VectorOperators.GE, 0));
            tail.blend(series, z.compare(VectorOperators.LT, ERF_SERIES_BELOW))
                    .convertShape(VectorOperators.D2F, FLOATS, 0).reinterpretAsFloats().intoArray(y, yOffset + i);
        }
        return bound;
    }

    /** LOG over the whole vectors of the run ({@link Exponential#log}); returns how many floats it did. */
    private static int logLoop(float[] x, int xOffset, float[] y, int yOffset, int n) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        DoubleVector ln2Hi = DoubleVector.broadcast(DOUBLES, LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(DOUBLES, LN2_LO);
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FLOATS, x, xOffset + i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            LongVector bits = (LongVector) v.reinterpretAsLongs();
            DoubleVector e = (DoubleVector) bits.lanewise(VectorOperators.LSHR, 52).and(0x7FFL).sub(1023L)
                    .convert(VectorOperators.L2D, 0);
            DoubleVector m = bits.and(0x000F_FFFF_FFFF_FFFFL).or(0x3FF0_0000_0000_0000L).reinterpretAsDoubles();
            VectorMask<Double> above = m.compare(VectorOperators.GT, SQRT2);
            m = m.blend(m.mul(0.5), above);
            e = e.blend(e.add(1), above);
            DoubleVector s = m.sub(1).div(m.add(one));
            DoubleVector s2 = s.mul(s);
            DoubleVector p = s2.fma(A19, A17);
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A15));
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A13));
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A11));
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A9));
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A7));
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A5));
            p = s2.fma(p, DoubleVector.broadcast(DOUBLES, A3));
            DoubleVector twoS = s.add(s);
            DoubleVector lnM = twoS.fma(s2.mul(p), twoS);
            DoubleVector result = e.fma(ln2Hi, e.fma(ln2Lo, lnM));
            result = result.blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
            result = result.blend(Double.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0));
            result = result.blend(Double.NaN, v.compare(VectorOperators.LT, 0).or(v.test(VectorOperators.IS_NAN)));
            result.convertShape(VectorOperators.D2F, FLOATS, 0).reinterpretAsFloats().intoArray(y, yOffset + i);
        }
        return bound;
    }
}

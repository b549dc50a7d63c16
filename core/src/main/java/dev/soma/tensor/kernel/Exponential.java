package dev.soma.tensor.kernel;

/**
 * {@code eˣ}, {@code ln x}, {@code tanh x}, {@code σ(x)} and {@code erf x} for float arguments, computed
 * in double by range reduction and polynomials: the definitions of the kernels' EXP, LOG, TANH,
 * SIGMOID and ERF. They are written with the operations a vector kernel has (fused multiply-adds,
 * shifts of the exponent bits, a choice between branches that were both computed), so that the SIMD
 * kernels evaluate the very same sequence of IEEE operations lane by lane and get the same bits, in
 * every JIT tier.
 *
 * <p>{@code Math.exp} cannot be vectorized bit for bit: the Vector API's own {@code EXP} is a
 * different library once compiled (see {@code SimdKernels}), and going through {@code Math} element
 * by element costs 7 to 22 ns per float. Rounded to float, exp, log, tanh and σ agree with
 * {@code Math}'s to within one unit in the last place, and exactly for all but at most one float in
 * ten thousand ({@code ExponentialTest}; none of 20 million random arguments differed); erf is within
 * its fit's 1.2·10⁻⁷.
 *
 * <h2>eˣ</h2>
 * With {@code n = round(x·log₂e)} and {@code r = x − n·ln 2} (ln 2 in two parts, so that r is exact
 * to double precision), {@code |r| ≤ ln 2 / 2} and {@code eˣ = 2ⁿ·eʳ}; eʳ is its Taylor polynomial of
 * degree 11 (truncation error below {@code 0.35¹²/12! ≈ 6·10⁻¹⁵}), and 2ⁿ is built from its exponent
 * bits. x is first clamped to [−150, 100]: beyond, the float result is 0 or +∞ anyway, and n stays in
 * the double exponent's range. n is rounded by adding {@code 1.5·2⁵²}, whose unit in the last place
 * is 1, so that n's bits can be read from the sum.
 */
public final class Exponential {

    // The constants, public for the SIMD kernel that repeats these computations lane by lane.
    public static final double LOG2E = 1.4426950408889634;
    /** ln 2 to 32 bits, so that {@code n·LN2_HI} is exact (fdlibm's split), and the rest. */
    public static final double LN2_HI = 6.93147180369123816490e-01;
    public static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2⁵²: adding it rounds to an integer, kept in the low bits of the sum. */
    public static final double SHIFTER = 0x1.8p52;
    /** The bits of {@link #SHIFTER} less the exponent bias: what turns the sum's bits into n's exponent. */
    public static final long SHIFTER_BITS_LESS_BIAS = Double.doubleToRawLongBits(SHIFTER) - 1023;
    public static final double LOWEST = -150;
    public static final double HIGHEST = 100;
    /** Tₖ = 1/k!, the Taylor coefficients of eʳ from k = 2 (those of k = 0 and 1 are 1). */
    public static final double T2 = 1.0 / 2;
    public static final double T3 = 1.0 / 6;
    public static final double T4 = 1.0 / 24;
    public static final double T5 = 1.0 / 120;
    public static final double T6 = 1.0 / 720;
    public static final double T7 = 1.0 / 5040;
    public static final double T8 = 1.0 / 40320;
    public static final double T9 = 1.0 / 362880;
    public static final double T10 = 1.0 / 3628800;
    public static final double T11 = 1.0 / 39916800;
    /** √2: mantissas above it are halved, so that ln's mantissa m lies in [√½, √2). */
    public static final double SQRT2 = 1.4142135623730951;
    /** {@code 1/(2k+1)} for k = 1 … 9: the series {@code atanh(s)/s = 1 + s²/3 + s⁴/5 + …}. */
    public static final double A3 = 1.0 / 3;
    public static final double A5 = 1.0 / 5;
    public static final double A7 = 1.0 / 7;
    public static final double A9 = 1.0 / 9;
    public static final double A11 = 1.0 / 11;
    public static final double A13 = 1.0 / 13;
    public static final double A15 = 1.0 / 15;
    public static final double A17 = 1.0 / 17;
    public static final double A19 = 1.0 / 19;
    /** Below this |x|, erf is its Maclaurin series; above, {@code 1 − erfc}. */
    public static final double ERF_SERIES_BELOW = 0.5;
    /** {@code 2/√π · (−1)ⁿ / (n!·(2n+1))}, n = 0 … 12: erf's Maclaurin series in x², after x. */
    public static final double E0 = erfTerm(0), E1 = erfTerm(1), E2 = erfTerm(2), E3 = erfTerm(3), E4 = erfTerm(4),
            E5 = erfTerm(5), E6 = erfTerm(6), E7 = erfTerm(7), E8 = erfTerm(8), E9 = erfTerm(9),
            E10 = erfTerm(10), E11 = erfTerm(11), E12 = erfTerm(12);
    /** The Chebyshev fit of erfc's exponent, {@code t·(C1 + t·(C2 + …)) − 1.26551223} (Numerical Recipes). */
    public static final double C0 = -1.26551223, C1 = 1.00002368, C2 = 0.37409196, C3 = 0.09678418,
            C4 = -0.18628806, C5 = 0.27886807, C6 = -1.13520398, C7 = 1.48851587, C8 = -0.82215223,
            C9 = 0.17087277;
    /** Below this |x|, tanh is its Maclaurin series: e^(2x) − 1 would cancel. */
    public static final double TANH_SERIES_BELOW = 0x1p-10;
    /** The Maclaurin coefficients of tanh after x: −1/3, 2/15, −17/315. */
    public static final double TANH_3 = -1.0 / 3;
    public static final double TANH_5 = 2.0 / 15;
    public static final double TANH_7 = -17.0 / 315;

    private Exponential() {
    }

    /** {@code eˣ} (NaN for NaN, 0 far below −100, +∞ far above 88). */
    public static double exp(double x) {
        double clamped = Math.min(Math.max(x, LOWEST), HIGHEST);
        double shifted = Math.fma(clamped, LOG2E, SHIFTER);
        double n = shifted - SHIFTER;
        double r = Math.fma(-n, LN2_HI, clamped);
        r = Math.fma(-n, LN2_LO, r);
        long exponent = Double.doubleToRawLongBits(shifted) - SHIFTER_BITS_LESS_BIAS;
        return taylor(r) * Double.longBitsToDouble(exponent << 52);
    }

    /** {@code Σₖ₌₀¹¹ rᵏ/k!} by Horner's rule, each step one fused multiply-add. */
    static double taylor(double r) {
        double p = T11;
        p = Math.fma(p, r, T10);
        p = Math.fma(p, r, T9);
        p = Math.fma(p, r, T8);
        p = Math.fma(p, r, T7);
        p = Math.fma(p, r, T6);
        p = Math.fma(p, r, T5);
        p = Math.fma(p, r, T4);
        p = Math.fma(p, r, T3);
        p = Math.fma(p, r, T2);
        p = Math.fma(p, r, 1);
        return Math.fma(p, r, 1);
    }

    /**
     * {@code ln x} (NaN below 0 and for NaN, −∞ at ±0, +∞ at +∞). With {@code x = 2ᵉ·m}, m taken
     * from x's bits and halved (e raised) when above √2, {@code ln x = e·ln 2 + ln m} and
     * {@code ln m = 2·atanh s = 2s·(1 + s²/3 + … + s¹⁸/19)} with {@code s = (m − 1)/(m + 1)},
     * {@code |s| ≤ 0.172} (truncation below {@code 0.0295¹⁰/21 ≈ 10⁻¹⁶}). A float is a normal double,
     * so its bits always hold its exponent.
     */
    public static double log(double x) {
        long bits = Double.doubleToRawLongBits(x);
        double e = (double) (((bits >>> 52) & 0x7FF) - 1023);
        double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        boolean above = m > SQRT2;
        m = above ? m * 0.5 : m;
        e = above ? e + 1 : e;
        double s = (m - 1) / (m + 1);
        double s2 = s * s;
        double p = Math.fma(s2, A19, A17);
        p = Math.fma(s2, p, A15);
        p = Math.fma(s2, p, A13);
        p = Math.fma(s2, p, A11);
        p = Math.fma(s2, p, A9);
        p = Math.fma(s2, p, A7);
        p = Math.fma(s2, p, A5);
        p = Math.fma(s2, p, A3);
        double twoS = s + s;
        double lnM = Math.fma(twoS, s2 * p, twoS);
        double result = Math.fma(e, LN2_HI, Math.fma(e, LN2_LO, lnM));
        result = x == Double.POSITIVE_INFINITY ? x : result;
        result = x == 0 ? Double.NEGATIVE_INFINITY : result;
        return x < 0 || x != x ? Double.NaN : result;
    }

    private static double erfTerm(int n) {
        double factorial = 1;
        for (int k = 2; k <= n; k++) {
            factorial *= k;
        }
        return (n % 2 == 0 ? 2 : -2) / Math.sqrt(Math.PI) / (factorial * (2 * n + 1));
    }

    /**
     * The error function {@code erf x = 2/√π ∫₀ˣ e^(−t²) dt}. Below |x| = 0.5 its Maclaurin series to
     * x²⁵ (relative error below 10⁻¹⁵); above, {@code ±(1 − erfc |x|)} with the Chebyshev fit of Press
     * et al., <i>Numerical Recipes</i> §6.2, {@code erfc z = t·e^(−z² + C0 + t·(C1 + …))},
     * {@code t = 1/(1 + z/2)}, whose fractional error is below 1.2·10⁻⁷.
     */
    public static double erf(double x) {
        double x2 = x * x;
        double p = Math.fma(x2, E12, E11);
        p = Math.fma(x2, p, E10);
        p = Math.fma(x2, p, E9);
        p = Math.fma(x2, p, E8);
        p = Math.fma(x2, p, E7);
        p = Math.fma(x2, p, E6);
        p = Math.fma(x2, p, E5);
        p = Math.fma(x2, p, E4);
        p = Math.fma(x2, p, E3);
        p = Math.fma(x2, p, E2);
        p = Math.fma(x2, p, E1);
        p = Math.fma(x2, p, E0);
        double series = x * p;
        double z = Math.abs(x);
        double t = 1 / Math.fma(z, 0.5, 1);
        double q = Math.fma(t, C9, C8);
        q = Math.fma(t, q, C7);
        q = Math.fma(t, q, C6);
        q = Math.fma(t, q, C5);
        q = Math.fma(t, q, C4);
        q = Math.fma(t, q, C3);
        q = Math.fma(t, q, C2);
        q = Math.fma(t, q, C1);
        double erfc = t * exp(Math.fma(t, q, C0) - x2);
        double tail = x >= 0 ? 1 - erfc : erfc - 1;
        return z < ERF_SERIES_BELOW ? series : tail;
    }

    /**
     * {@code tanh x}: for {@code |x| < 2⁻¹⁰} the series {@code x·(1 − x²/3 + 2x⁴/15 − 17x⁶/315)}, else
     * {@code ±(1 − e)·q} with {@code e = e^(−2|x|)}, {@code q = 1/(1 + e)} and the sign of x.
     */
    public static double tanh(double x) {
        double x2 = x * x;
        // x·(1 + x²·(…)), not x + x³·(…): that would turn tanh(−0) into +0
        double series = x * Math.fma(x2, Math.fma(x2, Math.fma(x2, TANH_7, TANH_5), TANH_3), 1);
        double e = exp(Math.abs(x) * -2);
        double t = (1 - e) * (1 / (e + 1));
        double signed = x < 0 ? -t : t;
        return Math.abs(x) < TANH_SERIES_BELOW ? series : signed;
    }

    /**
     * {@code σ(x) = 1 / (1 + e⁻ˣ)}, as {@code q = 1 / (1 + e)} for x ≥ 0 and {@code e·q} below, with
     * {@code e = e^(−|x|)}: no intermediate overflows, σ(−1000) is 0 and σ(1000) is 1.
     */
    public static double sigmoid(double x) {
        double e = exp(-Math.abs(x));
        double q = 1 / (e + 1);
        return x >= 0 ? q : e * q;
    }
}

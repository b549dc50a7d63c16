package dev.soma.app.plot;

import java.util.Locale;

/**
 * "Nice" axis ticks: multiples of a step of 1, 2 or 5 times a power of ten, chosen so that about
 * {@code target} of them fall in {@code [min, max]}.
 *
 * <pre>
 *   raw  = (max − min) / target
 *   step = m · 10ᵏ,  10ᵏ ≤ raw < 10ᵏ⁺¹,  m = 1 if raw/10ᵏ < √2, 2 if < √10, 5 if < √50, else 10
 *   ticks = { i · step : min ≤ i · step ≤ max }
 * </pre>
 *
 * The thresholds are the geometric means of neighbouring steps, so the step is the one nearest to
 * {@code raw} on a log scale. Ticks are computed as integer multiples of the step (no accumulated
 * rounding); a tick within rounding of zero is exactly 0.
 *
 * @param step the distance between ticks, {@code m · 10ᵏ} with m in {1, 2, 5}
 * @param values the ticks in increasing order, possibly empty if the range is too narrow
 */
record Ticks(double step, double[] values) {

    /** Ticks for {@code [min, max]}, about {@code target} of them; needs finite min < max, target ≥ 1. */
    static Ticks nice(double min, double max, int target) {
        if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("tick range must be finite with min < max, got [" + min + ", " + max + "]");
        }
        if (target < 1) {
            throw new IllegalArgumentException("tick target must be >= 1, got " + target);
        }
        double raw = (max - min) / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double multiple = fraction < Math.sqrt(2) ? 1 : fraction < Math.sqrt(10) ? 2 : fraction < Math.sqrt(50) ? 5 : 10;
        double step = multiple * magnitude;
        // NOTE: the small slack keeps a tick that sits on an end of the range despite rounding.
        double slack = step * 1e-9;
        long first = (long) Math.ceil((min - slack) / step);
        long last = (long) Math.floor((max + slack) / step);
        int count = (int) Math.max(0, last - first + 1);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            double value = (first + i) * step;
            values[i] = Math.abs(value) < slack ? 0.0 : value;
        }
        return new Ticks(step, values);
    }

    /**
     * The label of tick {@code value}: as many decimals as the step needs ("0.2", "1.0", "200"), or,
     * when the ticks are huge (≥ 10⁶) or the step tiny (< 10⁻⁴), a mantissa and the power of ten of
     * the largest tick, shared by the whole axis ("0.5e7", "1.0e7").
     */
    String label(double value) {
        double largest = step;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        if (largest >= 1e6 || step < 1e-4) {
            if (value == 0) {
                return "0";
            }
            int exponent = (int) Math.floor(Math.log10(largest));
            double scale = Math.pow(10, exponent);
            return fixed(value / scale, step / scale) + "e" + exponent;
        }
        return fixed(value, step);
    }

    /** {@code value} with the decimals that a multiple of {@code step} needs (0.2 → one, 50 → none). */
    private static String fixed(double value, double step) {
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}

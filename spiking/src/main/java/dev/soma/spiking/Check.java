package dev.soma.spiking;

/** Argument checks whose messages name the quantity, its value and its unit. */
final class Check {

    private Check() {
    }

    static void finite(String what, double value, String unit) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number, got " + value + " " + unit);
        }
    }

    static void positive(String what, double value, String unit) {
        finite(what, value, unit);
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0 " + unit + ", got " + value);
        }
    }

    static void nonNegative(String what, double value, String unit) {
        finite(what, value, unit);
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0 " + unit + ", got " + value);
        }
    }

    /** A time step: finite and > 0. */
    static void timeStep(double dtMs) {
        positive("time step dt", dtMs, "ms");
    }
}

package dev.soma.playground;

/**
 * Every bound a request can meet. Beyond one, the engine throws a {@link PlaygroundException} naming
 * the setting, the limit and the value, and the server answers 4xx with that message; the limits keep
 * one session's cost (memory and time per step) small so that many can share a 2-core machine.
 */
public final class Limits {

    /** Hidden layers: 0 (a single neuron, or one per class) to 8. */
    public static final int MAX_HIDDEN_LAYERS = 8;
    /** Neurons in one hidden layer: 1 to 16. */
    public static final int MAX_NEURONS = 16;
    /** Points in a session, generated, clicked and uploaded together. */
    public static final int MAX_POINTS = 2000;
    /** Points a data set generator makes: 4 (the gates' corners) to this. */
    public static final int MAX_GENERATED_POINTS = 1000;
    /** Classes of a classification problem: 2 to 8 (labels 0 to 7). */
    public static final int MAX_CLASSES = 8;
    /** Noise, in percent: 0 to 50. */
    public static final int MAX_NOISE = 50;
    /** The training share of the points, in percent. */
    public static final int MIN_TRAIN_PERCENT = 10;
    public static final int MAX_TRAIN_PERCENT = 90;
    /** Learning rate: above 0, at most 10. */
    public static final double MAX_LEARNING_RATE = 10;
    /** L1 or L2 rate: 0 to 1. */
    public static final double MAX_REGULARIZATION = 1;
    /** Dropout probability: 0 to 0.9. */
    public static final double MAX_DROPOUT = 0.9;
    /** Batch size: 1 to this (and at most the training points). */
    public static final int MAX_BATCH = 500;
    /** Steps one request may ask for at once. */
    public static final int MAX_STEPS_PER_REQUEST = 100_000;
    /** A weight or bias typed by hand: |value| at most this. */
    public static final double MAX_EDITED_WEIGHT = 100;
    /** Sessions one server holds at once. */
    public static final int MAX_SESSIONS = 32;
    /** An uploaded CSV: at most this many bytes. */
    public static final int MAX_CSV_BYTES = 256 * 1024;
    /** A JSON request body: at most this many bytes. */
    public static final int MAX_JSON_BYTES = 64 * 1024;

    private Limits() {
    }

    static int checkInt(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new PlaygroundException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static double checkDouble(String name, double value, double min, double max, boolean minExclusive) {
        boolean low = minExclusive ? !(value > min) : !(value >= min);
        if (low || !(value <= max)) {
            throw new PlaygroundException(name + " must be " + (minExclusive ? "above " : "between ") + min
                    + (minExclusive ? " and at most " : " and ") + max + ", got " + value);
        }
        return value;
    }
}

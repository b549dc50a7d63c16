package dev.soma.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One message of the barrier stage's exchange ({@link GradientHub}) in a buffer that is reused step
 * after step: a task's share, the hub's sum, or the hub's report of a failed step.
 *
 * <pre>
 * 40-byte header, little-endian: int kind (a partition ≥ 0, {@link #SUM} or {@link #FAILURE}), long step,
 *     int examples, double lossSum, long correct, int numbers (-1: no gradient), int flags (-1: none)
 * flags bytes: 1 where a parameter received a gradient
 * numbers floats, little-endian: the parameters' gradients concatenated
 * </pre>
 *
 * A failure frame carries the message's UTF-8 bytes in place of the floats, their count in
 * {@code numbers}. The floats go between the buffer and a parameter's own array in one bulk copy
 * (on a little-endian machine a plain memory copy), so a step allocates nothing.
 */
final class ShareFrame {

    /** The kind of the hub's sum. */
    static final int SUM = -1;
    /** The kind of the hub's report that the step failed. */
    static final int FAILURE = -2;
    static final int HEADER = 40;

    private byte[] bytes;
    private ByteBuffer view;
    private int kind;
    private long step;
    private int examples;
    private double lossSum;
    private long correct;
    private int numbers;
    private int flags;

    /** A frame with room for {@code flags} flags and {@code numbers} floats (it grows if a message needs more). */
    ShareFrame(int flags, int numbers) {
        allocate(HEADER + Math.max(flags, 0) + 4 * Math.max(numbers, 0));
    }

    private void allocate(int size) {
        bytes = new byte[size];
        view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Starts a message; its flags and floats follow with {@link #flag} and {@link #putFloats}. */
    ShareFrame header(int kind, long step, int examples, double lossSum, long correct, int numbers, int flags) {
        int size = HEADER + Math.max(flags, 0) + 4 * Math.max(numbers, 0);
        if (size > bytes.length) {
            allocate(size);
        }
        this.kind = kind;
        this.step = step;
        this.examples = examples;
        this.lossSum = lossSum;
        this.correct = correct;
        this.numbers = numbers;
        this.flags = flags;
        view.putInt(0, kind).putLong(4, step).putInt(12, examples).putDouble(16, lossSum).putLong(24, correct)
                .putInt(32, numbers).putInt(36, flags);
        return this;
    }

    /** A failure report: the step and why it failed. */
    ShareFrame failure(long step, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int words = (text.length + 3) / 4;
        header(FAILURE, step, 0, 0, 0, words, 0);
        java.util.Arrays.fill(bytes, HEADER, HEADER + 4 * words, (byte) ' ');
        System.arraycopy(text, 0, bytes, HEADER, text.length);
        return this;
    }

    void flag(int parameter, boolean present) {
        bytes[HEADER + parameter] = (byte) (present ? 1 : 0);
    }

    /** Copies {@code count} floats of {@code source} to the gradient from position {@code at}. */
    void putFloats(int at, float[] source, int count) {
        view.position(floats() + 4 * at);
        view.asFloatBuffer().put(source, 0, count);
        view.clear();
    }

    /** Copies {@code count} of the gradient's floats from position {@code at} into {@code target}. */
    void getFloats(int at, float[] target, int count) {
        view.position(floats() + 4 * at);
        view.asFloatBuffer().get(target, 0, count);
        view.clear();
    }

    /** Writes the message. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size());
        out.flush();
    }

    /** Reads a message into this frame (a message larger than the buffer grows it). */
    ShareFrame readFrom(DataInputStream in) throws IOException {
        in.readFully(bytes, 0, HEADER);
        int kind = view.getInt(0);
        long step = view.getLong(4);
        int examples = view.getInt(12);
        double lossSum = view.getDouble(16);
        long correct = view.getLong(24);
        int numbers = view.getInt(32);
        int flags = view.getInt(36);
        if (numbers < -1 || flags < -1 || (long) Math.max(flags, 0) + 4L * Math.max(numbers, 0) > Integer.MAX_VALUE - HEADER) {
            throw new IOException("a malformed message: " + numbers + " numbers, " + flags + " flags");
        }
        header(kind, step, examples, lossSum, correct, numbers, flags);
        in.readFully(bytes, HEADER, size() - HEADER);
        return this;
    }

    private int floats() {
        return HEADER + Math.max(flags, 0);
    }

    int size() {
        return floats() + 4 * Math.max(numbers, 0);
    }

    int kind() {
        return kind;
    }

    long step() {
        return step;
    }

    int examples() {
        return examples;
    }

    double lossSum() {
        return lossSum;
    }

    long correct() {
        return correct;
    }

    /** How many floats the gradient holds, or -1 without one. */
    int numbers() {
        return numbers;
    }

    /** How many flags, or -1 without them. */
    int flags() {
        return flags;
    }

    boolean present(int parameter) {
        return flags > parameter && bytes[HEADER + parameter] != 0;
    }

    /** A failure frame's message. */
    String message() {
        return new String(bytes, HEADER, 4 * Math.max(numbers, 0), StandardCharsets.UTF_8).strip();
    }
}

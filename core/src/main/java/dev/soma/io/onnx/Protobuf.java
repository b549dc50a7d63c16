package dev.soma.io.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One protocol-buffer message in the making, written straight to the wire format: each field a key
 * (its number and wire type, as a varint) and a value. ONNX files are such messages ({@code ModelProto}
 * of onnx.proto), and these three kinds of value are all they need:
 *
 * <ul>
 *   <li>varint (wire type 0): {@code int32}, {@code int64} and enums, 7 bits a byte, low bits first,
 *       the top bit saying that more follow; a negative number is its 64-bit two's complement (10 bytes);
 *   <li>fixed 32-bit (wire type 5): {@code float}, 4 bytes little-endian;
 *   <li>length-delimited (wire type 2): strings (UTF-8), bytes and nested messages, the length as a
 *       varint before them.
 * </ul>
 *
 * <p>Fields are written in the order the methods are called; repeated fields are written one key
 * per element (unpacked, as onnx.proto's proto2 declares them). No code generation and no
 * dependency: the message classes of {@code protobuf-java} would carry a 2 MB jar into {@code soma.jar}
 * for about 40 lines of writing. See <a href="https://protobuf.dev/programming-guides/encoding/">the
 * encoding</a>.
 */
final class Protobuf {

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Field {@code field} as a varint: an {@code int32}, {@code int64} or enum. */
    Protobuf varint(int field, long value) {
        key(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** Field {@code field} as a 32-bit float. */
    Protobuf float32(int field, float value) {
        key(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            bytes.write(bits >>> (8 * i));
        }
        return this;
    }

    /** Field {@code field} as a UTF-8 string. */
    Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Field {@code field} as bytes (not modified). */
    Protobuf bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        bytes.writeBytes(value);
        return this;
    }

    /** Field {@code field} as the nested message {@code value}. */
    Protobuf message(int field, Protobuf value) {
        return bytes(field, value.toByteArray());
    }

    /** The message's bytes so far. */
    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** How many bytes the message holds so far. */
    int size() {
        return bytes.size();
    }

    private void key(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            bytes.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes.write((int) value);
    }
}

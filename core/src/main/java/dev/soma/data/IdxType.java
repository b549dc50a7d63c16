package dev.soma.data;

/**
 * The element types of an IDX file, by the code in byte 2 of its header, with their sizes in bytes.
 * Multi-byte values are big-endian, as everything in IDX. See {@link IdxReader} for the format.
 */
public enum IdxType {
    /** 0x08: unsigned byte, 0..255 (MNIST's pixels and labels). */
    U8(0x08, 1),
    /** 0x09: signed byte, -128..127. */
    I8(0x09, 1),
    /** 0x0B: signed 16-bit integer. */
    I16(0x0B, 2),
    /** 0x0C: signed 32-bit integer (read into a float: exact up to ±2²⁴). */
    I32(0x0C, 4),
    /** 0x0D: IEEE 754 single precision. */
    F32(0x0D, 4),
    /** 0x0E: IEEE 754 double precision (read into a float, rounded). */
    F64(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The type code in the header, 0x08 to 0x0E. */
    public int code() {
        return code;
    }

    /** The size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The type with header code {@code code}, or null if there is none. */
    public static IdxType of(int code) {
        for (IdxType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }

    /** The codes as the error messages list them: "0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E". */
    static String expectedCodes() {
        StringBuilder list = new StringBuilder();
        IdxType[] types = values();
        for (int i = 0; i < types.length; i++) {
            list.append(i == 0 ? "" : i == types.length - 1 ? " or " : ", ");
            list.append(hex(types[i].code));
        }
        return list.toString();
    }

    static String hex(int value) {
        return String.format("0x%02X", value);
    }
}

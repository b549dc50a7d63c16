package dev.soma.io;

/**
 * The element types a safetensors header may name, with their width in bits, as the reference
 * implementation lists them. Soma reads the floating-point ones (F32, F64, F16, BF16) into float32
 * and knows the widths of the others only to validate and describe a file.
 */
enum Dtype {
    BOOL(8), U8(8), I8(8), F8_E5M2(8), F8_E4M3(8), F8_E8M0(8), F4(4), F6_E2M3(6), F6_E3M2(6),
    I16(16), U16(16), F16(16), BF16(16), I32(32), U32(32), F32(32), C64(64), F64(64), I64(64), U64(64);

    private final int bits;

    Dtype(int bits) {
        this.bits = bits;
    }

    /** The width of one element, in bits. */
    int bits() {
        return bits;
    }

    /** Whether Soma can read this type into float32 tensors. */
    boolean readable() {
        return this == F32 || this == F64 || this == F16 || this == BF16;
    }

    /** The type spelled {@code name} in a header, or null for a name safetensors does not define. */
    static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}

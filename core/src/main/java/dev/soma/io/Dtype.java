package dev.soma.io;

import dev.soma.tensor.DType;

/**
 * The element types a safetensors header may name, with their width in bits, as the reference
 * implementation lists them. Soma reads the floating-point ones (F32, F64, F16, BF16; F16 and BF16
 * into float32), the signed integers I64, I32, I16, I8, and U8 and BOOL, each into the tensor type of
 * the same name; it knows the widths of the others only to validate and describe a file.
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

    /** Whether Soma can read this type. */
    boolean readable() {
        return this == F16 || this == BF16 || tensorType() != null;
    }

    /** The tensor type that holds this file type exactly, or null (F16, BF16 and those Soma does not read). */
    DType tensorType() {
        return switch (this) {
            case F32 -> DType.FLOAT32;
            case F64 -> DType.FLOAT64;
            case I64 -> DType.INT64;
            case I32 -> DType.INT32;
            case I16 -> DType.INT16;
            case I8 -> DType.INT8;
            case U8 -> DType.UINT8;
            case BOOL -> DType.BOOL;
            default -> null;
        };
    }

    /** The file type of a tensor type (PyTorch's {@code safetensors.torch} names). */
    static Dtype of(DType type) {
        return switch (type) {
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT64 -> I64;
            case INT32 -> I32;
            case INT16 -> I16;
            case INT8 -> I8;
            case UINT8 -> U8;
            case BOOL -> BOOL;
        };
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

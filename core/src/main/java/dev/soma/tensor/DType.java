package dev.soma.tensor;

/**
 * A tensor's element type, as PyTorch's {@code torch.dtype}. {@code FLOAT32} is the default and the
 * type every op supports; the others are for indices, labels, masks and counts (the integer types and
 * {@code BOOL}) and for references that need more precision ({@code FLOAT64}).
 *
 * <p>Storage: float32 elements live in a {@code float[]}, float64 ones in a {@code double[]}, and every
 * integer type and bool in a {@code long[]} holding values already wrapped to the type's range (so an
 * int32 tensor's {@code long[]} holds int32 values; bool holds 0 and 1).
 */
public enum DType {
    FLOAT32("float32", 4, Kind.FLOAT),
    FLOAT64("float64", 8, Kind.FLOAT),
    INT64("int64", 8, Kind.INTEGER),
    INT32("int32", 4, Kind.INTEGER),
    INT16("int16", 2, Kind.INTEGER),
    INT8("int8", 1, Kind.INTEGER),
    UINT8("uint8", 1, Kind.INTEGER),
    BOOL("bool", 1, Kind.BOOL);

    /** PyTorch's categories for promotion: a higher category wins over a rank-0 operand's lower one. */
    enum Kind { BOOL, INTEGER, FLOAT }

    private final String label;
    private final int bytes;
    private final Kind kind;

    DType(String label, int bytes, Kind kind) {
        this.label = label;
        this.bytes = bytes;
        this.kind = kind;
    }

    /** The size of one element in bytes, as PyTorch's {@code itemsize}. */
    public int bytes() {
        return bytes;
    }

    /** Whether this is float32 or float64. */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /** Whether this is an integer type or bool, stored in a {@code long[]}. */
    public boolean isIntegral() {
        return kind != Kind.FLOAT;
    }

    Kind kind() {
        return kind;
    }

    /** The name PyTorch uses, {@code int64} for {@code torch.int64}. */
    @Override
    public String toString() {
        return label;
    }

    /** {@code value} as this integer type holds it: wrapped to its range (two's complement), 0 or 1 for bool. */
    long wrap(long value) {
        return switch (this) {
            case INT32 -> (int) value;
            case INT16 -> (short) value;
            case INT8 -> (byte) value;
            case UINT8 -> value & 0xFF;
            case BOOL -> value != 0 ? 1 : 0;
            default -> value;
        };
    }

    /**
     * The type two tensors of these types combine into, by PyTorch's {@code promote_types}: bool <
     * the integer types < float32 < float64; uint8 with int8 is int16; a float type wins over any
     * integer type.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.kind != b.kind) {
            return a.kind.compareTo(b.kind) > 0 ? a : b;
        }
        if (a.kind == Kind.FLOAT) {
            return FLOAT64;
        }
        if ((a == UINT8 && b == INT8) || (a == INT8 && b == UINT8)) {
            return INT16;
        }
        if (a == UINT8) {
            return b;
        }
        if (b == UINT8) {
            return a;
        }
        return a.bytes >= b.bytes ? a : b;
    }

    /**
     * The result type of an op on {@code a} and {@code b}, by PyTorch's {@code result_type}: a rank-0
     * tensor (a scalar, as {@code x.add(2f)} makes) does not change the type of a tensor with dimensions
     * unless its category (bool, integer, float) is higher: int64 + 2.5f is float32, float64 + 2.5f
     * stays float64, float32 + an int64 tensor is float32.
     */
    static DType resultType(Tensor a, Tensor b) {
        boolean aScalar = a.shape.length == 0;
        boolean bScalar = b.shape.length == 0;
        if (aScalar == bScalar) {
            return promote(a.dtype, b.dtype);
        }
        Tensor dimensioned = aScalar ? b : a;
        Tensor scalar = aScalar ? a : b;
        if (scalar.dtype.kind.compareTo(dimensioned.dtype.kind) <= 0) {
            return dimensioned.dtype;
        }
        // A Python float scalar gives the default float type; our scalar is a float32 (or float64) tensor.
        return scalar.dtype;
    }
}

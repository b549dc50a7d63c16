package dev.soma.tensor;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;
import java.util.Arrays;
import java.util.List;

/**
 * A dense tensor of any rank and element type ({@link DType}: float32 by default, float64, the integer
 * types, bool), and a variable of reverse-mode autograd.
 *
 * <p>A tensor is a view of a storage array ({@code float[]} for float32, {@code double[]} for float64,
 * {@code long[]} for the integer types and bool): element {@code (i₀, …, iₙ₋₁)} lives at
 * {@code offset + Σ iₖ·stride[k]}. Views (reshape, transpose, narrow, expand, squeeze) share storage
 * and copy nothing; {@link #contiguous()} makes a row-major copy when needed. Every op returns a new
 * tensor; ops whose names end in {@code InPlace} modify this tensor and say so.
 *
 * <p>The API follows PyTorch: {@code x.matmul(w).add(b).relu()}, broadcasting by NumPy's rules,
 * {@code loss.backward()}, {@code w.grad()}. Ops on tensors that require gradients record the graph
 * (see {@link Autograd}); {@link NoGrad#enter()} turns recording off.
 */
public final class Tensor {

    final DType dtype;
    /** The storage of a float32 tensor; null for other types. */
    final float[] data;
    /** The storage of an integer or bool tensor (see {@link DType}); null for other types. */
    final long[] longs;
    /** The storage of a float64 tensor; null for other types. */
    final double[] doubles;
    final int offset;
    final int[] shape;
    final int[] strides;
    /** The element count, kept because nearly every op asks for it. */
    private final int numel;
    /** Whether the elements are row-major without gaps; computed at first use (shape and strides never change). */
    private byte contiguity = UNKNOWN;
    private static final byte UNKNOWN = 0;
    private static final byte CONTIGUOUS = 1;
    private static final byte STRIDED = 2;

    private boolean requiresGrad;
    private boolean retainGrad;
    private Tensor grad;
    private Autograd.Node gradFn;
    /** A gradient whose array nothing else holds: the leaf it reaches first keeps it (see {@link #handOver}). */
    private boolean handedOver;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this(DType.FLOAT32, data, null, null, offset, shape, strides);
    }

    private Tensor(DType dtype, float[] data, long[] longs, double[] doubles, int offset, int[] shape, int[] strides) {
        this.dtype = dtype;
        this.data = data;
        this.longs = longs;
        this.doubles = doubles;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = Shape.numel(shape);
    }

    /** A contiguous tensor over {@code data} (not copied) with {@code shape}. */
    static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, 0, shape, Shape.contiguousStrides(shape));
    }

    /** A contiguous integer or bool tensor over {@code values} (not copied, already in the type's range). */
    static Tensor wrapLongs(DType dtype, long[] values, int... shape) {
        return new Tensor(dtype, null, values, null, 0, shape, Shape.contiguousStrides(shape));
    }

    /** A contiguous float64 tensor over {@code values} (not copied). */
    static Tensor wrapDoubles(double[] values, int... shape) {
        return new Tensor(DType.FLOAT64, null, null, values, 0, shape, Shape.contiguousStrides(shape));
    }

    /** A view of this tensor's storage with other offset, shape and strides (no graph). */
    Tensor restride(int offset, int[] shape, int[] strides) {
        return new Tensor(dtype, data, longs, doubles, offset, shape, strides);
    }

    /**
     * A gradient that a backward rule has just allocated and returns for one input only: a leaf
     * without a gradient takes its array as {@code grad()} instead of copying it (PyTorch's
     * AccumulateGrad steals a gradient nothing else references in the same way).
     */
    static Tensor handOver(float[] data, int... shape) {
        Tensor gradient = wrap(data, shape);
        gradient.handedOver = true;
        return gradient;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor of {@code shape} filled with 0. */
    public static Tensor zeros(int... shape) {
        int[] checked = Shape.checkSizes("zeros", shape);
        return wrap(new float[Shape.numel(checked)], checked);
    }

    /** A tensor of {@code dtype} and {@code shape} filled with 0 (false for bool). */
    public static Tensor zeros(DType dtype, int... shape) {
        int[] checked = Shape.checkSizes("zeros", shape);
        int n = Shape.numel(checked);
        return switch (dtype) {
            case FLOAT32 -> wrap(new float[n], checked);
            case FLOAT64 -> wrapDoubles(new double[n], checked);
            default -> wrapLongs(dtype, new long[n], checked);
        };
    }

    /** An int64 tensor of {@code shape} holding {@code values} (copied) in row-major order. */
    public static Tensor ofLongs(long[] values, int... shape) {
        checkCount("ofLongs", values.length, shape);
        return wrapLongs(DType.INT64, values.clone(), shape.clone());
    }

    /** An int32 tensor of {@code shape} holding {@code values} in row-major order. */
    public static Tensor ofInts(int[] values, int... shape) {
        checkCount("ofInts", values.length, shape);
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wrapLongs(DType.INT32, wide, shape.clone());
    }

    /** A bool tensor of {@code shape} holding {@code values} in row-major order. */
    public static Tensor ofBooleans(boolean[] values, int... shape) {
        checkCount("ofBooleans", values.length, shape);
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = values[i] ? 1 : 0;
        }
        return wrapLongs(DType.BOOL, bits, shape.clone());
    }

    /** A float64 tensor of {@code shape} holding {@code values} (copied) in row-major order. */
    public static Tensor ofDoubles(double[] values, int... shape) {
        checkCount("ofDoubles", values.length, shape);
        return wrapDoubles(values.clone(), shape.clone());
    }

    private static void checkCount(String op, int count, int[] shape) {
        int[] checked = Shape.checkSizes(op, shape);
        if (Shape.numel(checked) != count) {
            throw new IllegalArgumentException(op + ": " + count + " values cannot fill shape "
                    + Shape.format(shape) + " (" + Shape.numel(checked) + " elements)");
        }
    }

    /** A tensor of {@code shape} filled with 1. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor of {@code shape} filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        int[] checked = Shape.checkSizes("full", shape);
        float[] values = new float[Shape.numel(checked)];
        Arrays.fill(values, value);
        return wrap(values, checked);
    }

    /** A rank-0 tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value});
    }

    /** A rank-1 tensor of these values (copied). */
    public static Tensor vector(float... values) {
        return wrap(values.clone(), values.length);
    }

    /** A rank-2 tensor of these rows (copied), which must all have the same length. */
    public static Tensor matrix(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] values = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new IllegalArgumentException("matrix: row " + r + " has " + rows[r].length
                        + " values, row 0 has " + columns);
            }
            System.arraycopy(rows[r], 0, values, r * columns, columns);
        }
        return wrap(values, rows.length, columns);
    }

    /** A tensor of {@code shape} holding {@code values} (copied) in row-major order. */
    public static Tensor of(float[] values, int... shape) {
        int[] checked = Shape.checkSizes("of", shape);
        if (Shape.numel(checked) != values.length) {
            throw new IllegalArgumentException("of: " + values.length + " values cannot fill shape "
                    + Shape.format(shape) + " (" + Shape.numel(checked) + " elements)");
        }
        return wrap(values.clone(), checked);
    }

    /** {@code [0, 1, …, end-1]}. */
    public static Tensor arange(float end) {
        return arange(0, end, 1);
    }

    /** {@code [start, start+1, …]} below {@code end}. */
    public static Tensor arange(float start, float end) {
        return arange(start, end, 1);
    }

    /** {@code start + i·step} for every i that stays below {@code end} (above it, for negative steps). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero,"
                    + " got " + start + ", " + end + ", " + step);
        }
        int n = (int) Math.max(0, Math.ceil(((double) end - start) / step));
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (start + (double) i * step);
        }
        // NOTE: float inputs carry rounding error, so the last value can round onto end
        // (arange(0, 0.3f, 0.1f) would end with 0.3); values not strictly before end are dropped.
        while (n > 0 && (step > 0 ? values[n - 1] >= end : values[n - 1] <= end)) {
            n--;
        }
        return wrap(Arrays.copyOf(values, n), n);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end}, both included. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be ≥ 0, got " + steps);
        }
        float[] values = new float[steps];
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) {
            values[i] = i == steps - 1 && steps > 1 ? end : (float) (start + i * step);
        }
        return wrap(values, steps);
    }

    /** The {@code n × n} identity matrix. */
    public static Tensor eye(int n) {
        return eye(n, n);
    }

    /** The {@code rows × columns} matrix with ones on the main diagonal. */
    public static Tensor eye(int rows, int columns) {
        Tensor out = zeros(rows, columns);
        for (int i = 0; i < Math.min(rows, columns); i++) {
            out.data[i * columns + i] = 1;
        }
        return out;
    }

    /** Uniform samples from {@code [0, 1)}. */
    public static Tensor rand(Generator generator, int... shape) {
        return zeros(shape).fillUniform(0, 1, generator);
    }

    /** Standard normal samples, mean 0 and standard deviation 1. */
    public static Tensor randn(Generator generator, int... shape) {
        return zeros(shape).fillNormal(0, 1, generator);
    }

    /** Integers drawn uniformly from {@code [low, high)}, as an int64 tensor (PyTorch's {@code randint}). */
    public static Tensor randint(Generator generator, int low, int high, int... shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: high must be > low, got low " + low + ", high " + high);
        }
        Tensor out = zeros(DType.INT64, shape);
        for (int i = 0; i < out.longs.length; i++) {
            out.longs[i] = low + generator.nextInt(high - low);
        }
        return out;
    }

    /** A tensor of zeros with this tensor's shape and type. */
    public Tensor zerosLike() {
        return zeros(dtype, shape);
    }

    /** A tensor of ones with this tensor's shape and type. */
    public Tensor onesLike() {
        return dtype == DType.FLOAT32 ? ones(shape) : zeros(dtype, shape).fill(1);
    }

    // ---------------------------------------------------------------- shape and values

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /**
     * This tensor's values as {@code type}, as PyTorch's {@code x.to(dtype)}: this tensor itself when
     * it has that type already, else a new contiguous tensor. Floats to integers truncate toward zero
     * (2.7 → 2, −2.7 → −2), integers wrap to a narrower type's range, anything to bool is {@code ≠ 0}.
     * Between float32 and float64 the gradient flows through (converted back); into an integer type
     * none does.
     */
    public Tensor to(DType type) {
        if (type == dtype) {
            return this;
        }
        Tensor out = Typed.convert(this, type);
        DType source = dtype;
        return Autograd.record("to", out, g -> new Tensor[] {g.to(source)}, this);
    }

    /** {@code to(DType.FLOAT32)}. */
    public Tensor toFloat() {
        return to(DType.FLOAT32);
    }

    /** {@code to(DType.FLOAT64)}. */
    public Tensor toDouble() {
        return to(DType.FLOAT64);
    }

    /** {@code to(DType.INT64)}: floats truncated toward zero. */
    public Tensor toLong() {
        return to(DType.INT64);
    }

    /** {@code to(DType.BOOL)}: true where the element is not 0. */
    public Tensor toBool() {
        return to(DType.BOOL);
    }

    /** The sizes of the dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The storage strides of the dimensions, in elements (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shape.dim("size", dim, shape.length)];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return numel;
    }

    /** Whether the elements lie in storage in row-major order without gaps. */
    public boolean isContiguous() {
        if (contiguity == UNKNOWN) {
            contiguity = computeContiguity() ? CONTIGUOUS : STRIDED;
        }
        return contiguity == CONTIGUOUS;
    }

    private boolean computeContiguity() {
        if (numel == 0) {
            return true; // no elements, no gaps (as PyTorch); strides of a size-0 tensor are arbitrary
        }
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The value of a one-element tensor, as a float (converted from other types, as {@link #toFloat()}). */
    public float item() {
        checkOneElement("item");
        return data != null ? data[offset] : longs != null ? (float) longs[offset] : (float) doubles[offset];
    }

    /** The value of a one-element tensor as a long: exact for integer types, floats truncated toward 0. */
    public long itemLong() {
        checkOneElement("itemLong");
        return longs != null ? longs[offset] : data != null ? (long) data[offset] : (long) doubles[offset];
    }

    /** The value of a one-element tensor as a double (exact for float32 and float64). */
    public double itemDouble() {
        checkOneElement("itemDouble");
        return data != null ? data[offset] : longs != null ? (double) longs[offset] : doubles[offset];
    }

    private void checkOneElement(String op) {
        if (numel() != 1) {
            throw new IllegalStateException(op + ": tensor of shape " + Shape.format(shape)
                    + " has " + numel() + " elements, " + op + "() needs exactly 1");
        }
    }

    /** The element at {@code index} (one index per dimension; negative counts from the end), as a float. */
    public float get(int... index) {
        int at = storageIndex("get", index);
        return data != null ? data[at] : longs != null ? (float) longs[at] : (float) doubles[at];
    }

    /** The element at {@code index} as a long: exact for integer types, floats truncated toward 0. */
    public long getLong(int... index) {
        int at = storageIndex("getLong", index);
        return longs != null ? longs[at] : data != null ? (long) data[at] : (long) doubles[at];
    }

    /** The element at {@code index} as a double. */
    public double getDouble(int... index) {
        int at = storageIndex("getDouble", index);
        return data != null ? data[at] : longs != null ? (double) longs[at] : doubles[at];
    }

    /**
     * Sets the element at {@code index} to {@code value}. Modifies this tensor (and every view that
     * shares its storage).
     */
    public Tensor set(float value, int... index) {
        checkInPlace("set");
        int at = storageIndex("set", index);
        if (data != null) {
            data[at] = value;
        } else if (doubles != null) {
            doubles[at] = value;
        } else {
            longs[at] = dtype == DType.BOOL ? (value != 0 ? 1 : 0) : dtype.wrap((long) value);
        }
        return this;
    }

    /** Sets the element at {@code index} to {@code value} (wrapped to an integer type's range). Modifies this tensor. */
    public Tensor set(long value, int... index) {
        checkInPlace("set");
        int at = storageIndex("set", index);
        if (longs != null) {
            longs[at] = dtype.wrap(value);
        } else if (doubles != null) {
            doubles[at] = value;
        } else {
            data[at] = value;
        }
        return this;
    }

    /**
     * Whether every element is finite (no NaN, no ±∞), as PyTorch's {@code torch.isfinite(t).all()}.
     * A NaN or an infinity makes the sum NaN or infinite, so a finite sum settles it in one pass of the
     * vector sum kernel (no copy for a dense tensor); only when the sum is not finite, which a sum of
     * huge finite elements can also be, do the largest and smallest element decide: both propagate NaN,
     * and each takes one infinity.
     */
    public boolean allFinite() {
        if (numel == 0 || dtype.isIntegral()) {
            return true;
        }
        if (dtype == DType.FLOAT64) {
            for (double v : Typed.doubles(this)) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
        float[] values = contiguousData();
        Kernels kernels = Kernels.active();
        return Float.isFinite(kernels.sum(values, 0, numel))
                || Float.isFinite(kernels.max(values, 0, numel)) && Float.isFinite(kernels.min(values, 0, numel));
    }

    /** The elements in row-major order, as a new array (converted to float from other types). */
    public float[] toArray() {
        return data != null ? contiguousData().clone() : Typed.floats(this);
    }

    /** The elements in row-major order as longs: exact for integer types, floats truncated toward 0. */
    public long[] toLongArray() {
        return longs != null ? Typed.longs(this).clone() : Typed.longs(this);
    }

    /** The elements in row-major order as doubles (exact for float32 and float64). */
    public double[] toDoubleArray() {
        return doubles != null ? Typed.doubles(this).clone() : Typed.doubles(this);
    }

    /**
     * Whether {@code other} has this tensor's type, shape and elements, as PyTorch's
     * {@code torch.equal} (NaN equals nothing, as there).
     */
    public boolean equal(Tensor other) {
        if (dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        if (dtype.isIntegral()) {
            return Arrays.equals(Typed.longs(this), Typed.longs(other));
        }
        double[] a = Typed.doubles(this);
        double[] b = Typed.doubles(other);
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] == b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The storage array itself when this tensor is dense (row-major, offset 0, and covering the whole
     * array), else null. This is an in-place escape hatch for numeric code outside this package, such as
     * optimizers: writing into the array changes this tensor and every view sharing its storage, and
     * bypasses autograd, so do it only where an {@code InPlace} op would be allowed (in a {@link NoGrad}
     * scope, or on a tensor that requires no grad).
     */
    public float[] denseStorage() {
        return data != null && offset == 0 && data.length == numel && isContiguous() ? data : null;
    }

    /**
     * Row-major values of a float32 tensor; the storage itself when it is exactly that, so callers
     * must not modify it. Every float32-only op reads its inputs here, so a tensor of another type that
     * reaches one without an earlier, named check fails here rather than with a NullPointerException.
     */
    float[] contiguousData() {
        if (data == null) {
            throw new IllegalArgumentException("expected a float32 tensor, got " + dtype
                    + " (convert with toFloat())");
        }
        float[] dense = denseStorage();
        return dense != null ? dense : Strided.toContiguous(data, offset, shape, strides);
    }

    private int storageIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank "
                    + shape.length + " " + Shape.format(shape));
        }
        int position = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[d] + " is out of range for dim "
                        + d + " of size " + shape[d] + " in shape " + Shape.format(shape));
            }
            position += i * strides[d];
        }
        return position;
    }

    // ---------------------------------------------------------------- in-place fills and updates

    /** Fills this tensor with {@code value}. Modifies this tensor. */
    public Tensor fill(float value) {
        checkInPlace("fill");
        if (data == null) {
            Typed.write(this, full(value).to(dtype).expand(shape));
            return this;
        }
        Strided.forEachRow(shape, strides, offset, (row, start) -> {
            int inner = shape.length == 0 ? 1 : shape[shape.length - 1];
            int stride = shape.length == 0 ? 1 : strides[shape.length - 1];
            for (int i = 0; i < inner; i++) {
                data[start + i * stride] = value;
            }
        });
        return this;
    }

    /** Fills this tensor with samples of {@code U(low, high)}. Modifies this tensor. */
    public Tensor fillUniform(float low, float high, Generator generator) {
        if (!(high >= low)) {
            throw new IllegalArgumentException("fillUniform: high must be ≥ low, got " + low + ", " + high);
        }
        float[] values = new float[numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * generator.nextFloat();
        }
        return copyValues("fillUniform", values);
    }

    /** Fills this tensor with samples of {@code N(mean, std²)}. Modifies this tensor. */
    public Tensor fillNormal(float mean, float std, Generator generator) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("fillNormal: std must be ≥ 0, got " + std);
        }
        float[] values = new float[numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + std * generator.nextGaussian());
        }
        return copyValues("fillNormal", values);
    }

    /** Copies {@code source}'s values (broadcast to this shape) into this tensor. Modifies this tensor. */
    public Tensor copyFrom(Tensor source) {
        Shape.broadcast("copyFrom", source.shape, shape);
        if (dtype != DType.FLOAT32 || source.dtype != DType.FLOAT32) {
            checkInPlace("copyFrom");
            Typed.write(this, Typed.broadcastView(source, shape));
            return this;
        }
        return copyValues("copyFrom", source.expand(shape).contiguousData());
    }

    /** {@code this += alpha · other}, with {@code other} broadcast to this shape. Modifies this tensor. */
    public Tensor addInPlace(Tensor other, float alpha) {
        checkInPlace("addInPlace");
        Tensor scaled = alpha == 1 ? other : other.mul(alpha);
        Tensor sum = Elementwise.zip(BinaryOp.ADD, "addInPlace", this.detach(), scaled.detach());
        if (!Arrays.equals(sum.shape, shape)) {
            throw new IllegalArgumentException("addInPlace: " + Shape.format(other.shape)
                    + " does not broadcast to this tensor's shape " + Shape.format(shape));
        }
        return copyValues("addInPlace", sum.data);
    }

    /** {@code this *= factor}. Modifies this tensor. */
    public Tensor mulInPlace(float factor) {
        checkInPlace("mulInPlace");
        return copyValues("mulInPlace", mul(factor).detach().contiguousData());
    }

    private Tensor copyValues(String op, float[] rowMajor) {
        checkInPlace(op);
        Typed.requireFloat32(op, this);
        Strided.write(this, rowMajor, false);
        return this;
    }

    private void checkInPlace(String op) {
        if (requiresGrad && NoGrad.isGradEnabled()) {
            throw new IllegalStateException(op + ": cannot modify a tensor that requires grad in place"
                    + " while gradients are recorded; use a NoGrad scope (as optimizers do) or detach()");
        }
    }

    // ---------------------------------------------------------------- autograd

    /** Whether ops on this tensor record the graph for backward. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks this leaf tensor as one whose gradient backward computes (PyTorch's
     * {@code requires_grad_}). Modifies this tensor; returns it.
     */
    public Tensor requiresGrad(boolean requires) {
        if (requires && dtype.isIntegral()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can require"
                    + " gradients, this one is " + dtype);
        }
        if (gradFn != null && !requires) {
            throw new IllegalStateException("requiresGrad: '" + gradFn.op + "' made this tensor from tensors"
                    + " that require grad; use detach() for a tensor without a graph");
        }
        this.requiresGrad = requires;
        return this;
    }

    /** The accumulated gradient ∂L/∂this, or null before any backward reached it. */
    public Tensor grad() {
        return grad;
    }

    /**
     * Sets the gradient, as PyTorch's {@code p.grad = g}: {@code gradient} (null forgets it) must have
     * this tensor's shape; it is kept as given, so later backward passes accumulate into it.
     */
    public void setGrad(Tensor gradient) {
        if (gradient != null && !Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("setGrad: the gradient has shape " + Shape.format(gradient.shape)
                    + ", the tensor " + Shape.format(shape));
        }
        grad = gradient == null ? null : gradient.detach();
    }

    /** Zeroes the accumulated gradient, keeping its storage. Modifies this tensor's gradient. */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0);
        }
    }

    /** Forgets the accumulated gradient. */
    public void clearGrad() {
        grad = null;
    }

    /** Whether this tensor is a leaf of the graph: not produced by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Keeps the gradient of this non-leaf tensor in {@link #grad()} during backward. Returns this. */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainGrad;
    }

    /** The name of the op that produced this tensor in the graph, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    Autograd.Node gradFn() {
        return gradFn;
    }

    void attach(Autograd.Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g) {
        if (g.dtype != DType.FLOAT32 || (grad != null && grad.dtype != DType.FLOAT32)) {
            Tensor arriving = g.to(dtype);
            grad = grad == null ? Typed.convert(arriving, dtype).reshape(shape.clone()) : grad.add(arriving).to(dtype);
            return;
        }
        if (grad == null && g.handedOver) {
            g.handedOver = false; // taken once: whoever else meets this tensor copies it
            grad = wrap(g.data, shape.clone());
        } else if (grad == null) {
            grad = wrap(g.toArray(), shape.clone());
        } else {
            Elementwise.addInto(grad, g);
        }
    }

    /** Backpropagates from this one-element tensor (∂L/∂L = 1), freeing the graph after. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: grad can be implicitly created only for a tensor with"
                    + " one element, this one has shape " + Shape.format(shape) + "; pass a gradient");
        }
        Autograd.backward(this, onesLike(), false);
    }

    /** Backpropagates {@code gradient} (∂L/∂this), freeing the graph after. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    /** Backpropagates {@code gradient}; with {@code retainGraph} the graph stays for another backward. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    /** This tensor's values without its graph: shares storage, requires no grad. */
    public Tensor detach() {
        return restride(offset, shape, strides);
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    /** {@code this + value}. */
    public Tensor add(float value) {
        return Elementwise.add(this, scalar(value));
    }

    /** {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    /** {@code this - value}. */
    public Tensor sub(float value) {
        return Elementwise.sub(this, scalar(value));
    }

    /** {@code this · other} elementwise, broadcast. */
    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    /** {@code this · value}. */
    public Tensor mul(float value) {
        return Elementwise.mul(this, scalar(value));
    }

    /** {@code this / other} elementwise, broadcast. */
    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    /** {@code this / value}. */
    public Tensor div(float value) {
        return Elementwise.div(this, scalar(value));
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** {@code thisᵉˣᵖᵒⁿᵉⁿᵗ} elementwise, broadcast. */
    public Tensor pow(Tensor exponent) {
        return Elementwise.pow(this, exponent);
    }

    /** {@code thisᵉˣᵖᵒⁿᵉⁿᵗ}. */
    public Tensor pow(float exponent) {
        return Elementwise.pow(this, scalar(exponent));
    }

    /** {@code eˣ}. */
    public Tensor exp() {
        return Elementwise.exp(this);
    }

    /** {@code ln x}. */
    public Tensor log() {
        return Elementwise.log(this);
    }

    /** {@code √x}. */
    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** {@code |x|}. */
    public Tensor abs() {
        return Elementwise.abs(this);
    }

    /** -1, 0 or 1 by the sign of each element; not differentiable (its gradient is 0). */
    public Tensor sign() {
        return Elementwise.sign(this);
    }

    /** Each element limited to {@code [min, max]}. */
    public Tensor clamp(float min, float max) {
        return Elementwise.clamp(this, min, max);
    }

    /** The larger of this and {@code other}, elementwise, broadcast. */
    public Tensor maximum(Tensor other) {
        return Elementwise.maximum(this, other);
    }

    /** The smaller of this and {@code other}, elementwise, broadcast. */
    public Tensor minimum(Tensor other) {
        return Elementwise.minimum(this, other);
    }

    /** A bool mask: true where {@code this == other}. */
    public Tensor eq(Tensor other) {
        return Elementwise.compare(BinaryOp.EQ, "eq", this, other);
    }

    /** A bool mask: true where {@code this != other}. */
    public Tensor ne(Tensor other) {
        return Elementwise.compare(BinaryOp.NE, "ne", this, other);
    }

    /** A bool mask: true where {@code this < other}. */
    public Tensor lt(Tensor other) {
        return Elementwise.compare(BinaryOp.LT, "lt", this, other);
    }

    /** A bool mask: true where {@code this <= other}. */
    public Tensor le(Tensor other) {
        return Elementwise.compare(BinaryOp.LE, "le", this, other);
    }

    /** A bool mask: true where {@code this > other}. */
    public Tensor gt(Tensor other) {
        return Elementwise.compare(BinaryOp.GT, "gt", this, other);
    }

    /** A bool mask: true where {@code this >= other}. */
    public Tensor ge(Tensor other) {
        return Elementwise.compare(BinaryOp.GE, "ge", this, other);
    }

    /** A bool mask: true where {@code this == value}. */
    public Tensor eq(float value) {
        return eq(scalar(value));
    }

    /** A bool mask: true where {@code this > value}. */
    public Tensor gt(float value) {
        return gt(scalar(value));
    }

    /** A bool mask: true where {@code this < value}. */
    public Tensor lt(float value) {
        return lt(scalar(value));
    }

    /** A bool mask: true where {@code this != value}. */
    public Tensor ne(float value) {
        return ne(scalar(value));
    }

    /** A bool mask: true where {@code this <= value}. */
    public Tensor le(float value) {
        return le(scalar(value));
    }

    /** A bool mask: true where {@code this >= value}. */
    public Tensor ge(float value) {
        return ge(scalar(value));
    }

    /** Each element at least {@code min}, as PyTorch's {@code clamp(min=…)}. */
    public Tensor clampMin(float min) {
        return clamp(min, Float.POSITIVE_INFINITY);
    }

    /** Each element at most {@code max}, as PyTorch's {@code clamp(max=…)}. */
    public Tensor clampMax(float max) {
        return clamp(Float.NEGATIVE_INFINITY, max);
    }

    /**
     * Each element limited to {@code [min, max]}, the bounds broadcast with this. As PyTorch's, the
     * gradient reaches this tensor where it lies within the bounds, ends included.
     */
    public Tensor clamp(Tensor min, Tensor max) {
        return where(lt(min), min, where(gt(max), max, this));
    }

    /** {@code value − this}, as PyTorch's {@code torch.rsub(x, value)}: {@code 1 − p} in one op. */
    public Tensor rsub(float value) {
        return scalar(value).sub(this);
    }

    /** {@code value / this}, elementwise: {@code 1 / x} in one op. */
    public Tensor rdiv(float value) {
        return scalar(value).div(this);
    }

    /**
     * {@code condition ? ifTrue : ifFalse}, elementwise, all three broadcast together; the condition is
     * a bool tensor (a comparison's result), the result the promoted type of the other two.
     */
    public static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        return Elementwise.where(condition, ifTrue, ifFalse);
    }

    // ---------------------------------------------------------------- activations

    /** {@code max(x, 0)}. */
    public Tensor relu() {
        return Elementwise.relu(this);
    }

    /** {@code σ(x) = 1 / (1 + e⁻ˣ)}, without overflow at any x. */
    public Tensor sigmoid() {
        return Elementwise.sigmoid(this);
    }

    /** {@code tanh x}. */
    public Tensor tanh() {
        return Elementwise.tanh(this);
    }

    /** The error function {@code erf x}. */
    public Tensor erf() {
        return Elementwise.erf(this);
    }

    /** {@code x} where positive, {@code negativeSlope · x} elsewhere. */
    public Tensor leakyRelu(float negativeSlope) {
        return Elementwise.leakyRelu(this, negativeSlope);
    }

    /** GELU, exactly: {@code x · Φ(x) = x/2 · (1 + erf(x/√2))}. */
    public Tensor gelu() {
        return Elementwise.gelu(this);
    }

    /** {@code ln(1 + eˣ)}, evaluated without overflow. */
    public Tensor softplus() {
        return Elementwise.softplus(this);
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements, as a rank-0 tensor. */
    public Tensor sum() {
        return Reductions.sum(this, new int[0], false);
    }

    /** The sum over {@code dims}; with {@code keepDim} the reduced dimensions stay with size 1. */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, dims, keepDim);
    }

    /** The sum over dimension {@code dim}, which is removed. */
    public Tensor sum(int dim) {
        return Reductions.sum(this, new int[] {dim}, false);
    }

    /** The sum over dimension {@code dim}; with {@code keepDim} it stays, with size 1. */
    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, new int[] {dim}, keepDim);
    }

    /** The values and the (int64) positions of a maximum or minimum along a dimension, as PyTorch's {@code torch.max(x, dim)}. */
    public record ValuesAndIndices(Tensor values, Tensor indices) {
    }

    /**
     * The largest element along {@code dim} and its position (the first, on ties), as PyTorch's
     * {@code x.max(dim, keepdim)}; the values carry the gradient, the indices none.
     */
    public ValuesAndIndices maxWithIndices(int dim, boolean keepDim) {
        return new ValuesAndIndices(max(dim, keepDim), argmax(dim, keepDim));
    }

    /** The smallest element along {@code dim} and its position (the first, on ties), as {@code x.min(dim, keepdim)}. */
    public ValuesAndIndices minWithIndices(int dim, boolean keepDim) {
        return new ValuesAndIndices(min(dim, keepDim), argmin(dim, keepDim));
    }

    /** The mean of all elements. */
    public Tensor mean() {
        return Reductions.mean(this, new int[0], false);
    }

    /** The mean over {@code dims}. */
    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    /** The mean over dimension {@code dim}, which is removed. */
    public Tensor mean(int dim) {
        return Reductions.mean(this, new int[] {dim}, false);
    }

    /** The mean over dimension {@code dim}; with {@code keepDim} it stays, with size 1. */
    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, new int[] {dim}, keepDim);
    }

    /** The largest element. */
    public Tensor max() {
        return Reductions.max(this, new int[0], false);
    }

    /**
     * The largest element over {@code dims} (PyTorch's {@code amax}): the gradient is shared evenly by
     * the elements that tie for the maximum.
     */
    public Tensor max(int[] dims, boolean keepDim) {
        return Reductions.max(this, dims, keepDim);
    }

    /** The largest element over dimension {@code dim}, which is removed. */
    public Tensor max(int dim) {
        return Reductions.max(this, new int[] {dim}, false);
    }

    /** The max over dimension {@code dim}; with {@code keepDim} it stays, with size 1. */
    public Tensor max(int dim, boolean keepDim) {
        return Reductions.max(this, new int[] {dim}, keepDim);
    }

    /** The smallest element. */
    public Tensor min() {
        return Reductions.min(this, new int[0], false);
    }

    /** The smallest element over {@code dims} ({@code amin}; ties share the gradient). */
    public Tensor min(int[] dims, boolean keepDim) {
        return Reductions.min(this, dims, keepDim);
    }

    /** The smallest element over dimension {@code dim}, which is removed. */
    public Tensor min(int dim) {
        return Reductions.min(this, new int[] {dim}, false);
    }

    /** The min over dimension {@code dim}; with {@code keepDim} it stays, with size 1. */
    public Tensor min(int dim, boolean keepDim) {
        return Reductions.min(this, new int[] {dim}, keepDim);
    }

    /** The index (int64) of the largest element of the flattened tensor (the first, if several tie). */
    public Tensor argmax() {
        return Reductions.argExtreme(this, null, false, true);
    }

    /** The index (int64) along {@code dim} of the largest element (the first, if several tie); NaN counts as largest. */
    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, dim, keepDim, true);
    }

    /** The index (int64) of the smallest element of the flattened tensor. */
    public Tensor argmin() {
        return Reductions.argExtreme(this, null, false, false);
    }

    /** The index (int64) along {@code dim} of the smallest element (the first, if several tie). */
    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, dim, keepDim, false);
    }

    /** The unbiased variance (Bessel's correction, divides by N - 1) of all elements. */
    public Tensor var() {
        return Reductions.var(this, new int[0], 1, false);
    }

    /** The variance over {@code dims}, dividing by {@code N - correction}. */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim);
    }

    /** The unbiased standard deviation of all elements. */
    public Tensor std() {
        return Reductions.var(this, new int[0], 1, false).sqrt();
    }

    /** The standard deviation over {@code dims}, dividing by {@code N - correction}. */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim).sqrt();
    }

    /** {@code ln Σ eˣ} over {@code dims}, without overflow or underflow at any magnitude. */
    public Tensor logsumexp(int[] dims, boolean keepDim) {
        return Reductions.logsumexp(this, dims, keepDim);
    }

    /** {@code ln Σ eˣ} over dimension {@code dim}, which is removed. */
    public Tensor logsumexp(int dim) {
        return Reductions.logsumexp(this, new int[] {dim}, false);
    }

    /** {@code eˣⁱ / Σⱼ eˣʲ} along {@code dim}. */
    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim);
    }

    /** {@code xᵢ - ln Σⱼ eˣʲ} along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return Reductions.logSoftmax(this, dim);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * The matrix product with PyTorch's {@code matmul} semantics: vector·vector is a dot product,
     * matrix·vector and vector·matrix promote the vector to a matrix and drop the added dimension, and
     * ranks above 2 are batches of matrices whose batch dimensions broadcast.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    // ---------------------------------------------------------------- sliding windows

    /**
     * The sliding windows of an image batch as columns (PyTorch's {@code F.unfold}, im2col; not
     * PyTorch's {@code Tensor.unfold(dim, size, step)}): this tensor {@code [N, C, H, W]} becomes
     * {@code [N, C·kh·kw, L]}, {@code L = outH·outW}, with
     *
     * <pre>  out[n, (c·kh + i)·kw + j, oh·outW + ow] = this[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]</pre>
     *
     * and 0 where that position lies in the padding; {@code outH = ⌊(H + 2·ph − dh·(kh−1) − 1)/sh⌋ + 1}
     * (see {@link Shape#convolutionOutputSize}), likewise outW. The gradient is fold (col2im): each
     * column element's gradient is added back to the element it was copied from.
     *
     * @param kh kernel height; {@code kw} kernel width
     * @param dh dilation along H (1: adjacent elements); {@code dw} along W
     * @param ph zero rows added above and below; {@code pw} columns left and right
     * @param sh stride along H; {@code sw} along W
     * @throws IllegalArgumentException unless this tensor has rank 4 and the dilated kernel fits the
     *     padded input
     */
    public Tensor unfold(int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw) {
        return Convolution.unfold(this, kh, kw, dh, dw, ph, pw, sh, sw, 0f);
    }

    /**
     * {@link #unfold(int, int, int, int, int, int, int, int)} with the padding filled with
     * {@code padValue} (max pooling pads with −∞, so that padding never wins).
     */
    public Tensor unfold(int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw, float padValue) {
        return Convolution.unfold(this, kh, kw, dh, dw, ph, pw, sh, sw, padValue);
    }

    /**
     * The 2-D convolution of this image batch {@code [N, C, H, W]} with {@code weight [O, C, kh, kw]}
     * and {@code bias [O]} (or null), as PyTorch's {@code F.conv2d} with one group:
     *
     * <pre>  out[n, o, y, x] = bias[o] + Σ_{c,i,j} weight[o, c, i, j] · this[n, c, y·s − p + i·d, x·s − p + j·d]</pre>
     *
     * zero-padded by {@code padding}, with the same stride s and dilation d along H and W; the output is
     * {@code [N, O, outH, outW]} (sizes as {@link #unfold(int, int, int, int, int, int, int, int)}).
     * Differentiable in all three tensors.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        return Ops.conv2d(this, weight, bias, stride, padding, dilation);
    }

    /**
     * The 2-D convolution with settings per axis and groups, as PyTorch's
     * {@code F.conv2d(x, weight, bias, stride, padding, dilation, groups)}: {@code stride},
     * {@code padding} and {@code dilation} are {@code {along H, along W}}; the C input channels and the
     * O output channels are split into {@code groups} groups, and group g's outputs see only group g's
     * inputs, so {@code weight} is {@code [O, C/groups, kh, kw]} ({@code groups == C} is a depthwise
     * convolution). Differentiable in all three tensors.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Ops.conv2d(this, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code conv2d(…).relu()}, or with {@code maxPool2} {@code conv2d(…).relu().maxPool2d(2, 2, 0, 1)},
     * as one fused op (unless {@link Ops} runs the composed forms): the same values and gradients, without
     * storing the convolution's output (nn.Sequential uses it for such runs of layers).
     */
    public Tensor conv2dRelu(Tensor weight, Tensor bias, int stride, int padding, int dilation, boolean maxPool2) {
        return Ops.conv2dRelu(this, weight, bias, stride, padding, dilation, maxPool2);
    }

    /**
     * 2-D max pooling of this image batch {@code [N, C, H, W]} as PyTorch's {@code F.max_pool2d}: each
     * output is the largest element of its {@code k×k} window, the input padded with −∞; the gradient
     * goes to that element (the first in row-major order when several tie; NaN propagates).
     */
    public Tensor maxPool2d(int kernelSize, int stride, int padding, int dilation) {
        return Ops.maxPool2d(this, kernelSize, stride, padding, dilation);
    }

    /**
     * 2-D max pooling with each setting {@code {along H, along W}}, as PyTorch's
     * {@code F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)}: with {@code ceilMode}
     * the output size rounds up, so a last, partial window is kept unless it would start in the padding
     * after the input ({@link Shape#poolingOutputSize}).
     */
    public Tensor maxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Ops.maxPool2d(this, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * {@link #maxPool2d(int[], int[], int[], int[], boolean)} with PyTorch's {@code return_indices=True}:
     * the values, and for each the flat index {@code y·W + x} of its maximum within its {@code (n, c)}
     * plane of this input, the int64 indices {@link #maxUnpool2d} takes; they carry no gradient.
     */
    public ValuesAndIndices maxPool2dWithIndices(int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                 boolean ceilMode) {
        return Pooling.maxPool2dWithIndices(this, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * The partial inverse of max pooling, as PyTorch's {@code F.max_unpool2d}: zeros
     * {@code [N, C, outH, outW]} with each element of this {@code [N, C, H, W]} written at its int64 index
     * (from {@link #maxPool2dWithIndices}) in its own plane; the later wins where two share an index.
     * Differentiable in this tensor: each element's gradient is the output's gradient at its index.
     */
    public Tensor maxUnpool2d(Tensor indices, int outH, int outW) {
        return Pooling.maxUnpool2d(this, indices, outH, outW);
    }

    // ---------------------------------------------------------------- views

    /** A view with {@code shape} (one size may be -1, inferred); this tensor must be contiguous. */
    public Tensor view(int... shape) {
        return Views.view(this, shape);
    }

    /** This tensor's elements with {@code shape} (one size may be -1): a view when possible, else a copy. */
    public Tensor reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    /** The dimensions reordered: dimension i of the result is dimension {@code dims[i]} of this one. */
    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** Dimensions {@code dim0} and {@code dim1} swapped. */
    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** The transpose of a matrix (a rank ≤ 2 tensor). */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expects a tensor of rank ≤ 2, got " + Shape.format(shape));
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Elements {@code [start, start+length)} along {@code dim}, as a view. */
    public Tensor narrow(int dim, int start, int length) {
        return Views.slice(this, dim, start, start + length, 1, "narrow");
    }

    /** Elements {@code start, start+step, …} below {@code end} along {@code dim}, as a view (Python's {@code [start:end:step]}). */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step, "slice");
    }

    /** Index {@code index} of dimension {@code dim}, which is removed; a view. */
    public Tensor select(int dim, int index) {
        int d = Shape.dim("select", dim, shape.length);
        if (shape.length == 0) {
            throw new IllegalArgumentException("select: cannot select from a rank-0 tensor");
        }
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + d
                    + " of size " + shape[d] + " in shape " + Shape.format(shape));
        }
        return Views.slice(this, d, i, i + 1, 1, "select").squeeze(d);
    }

    /** This tensor repeated along size-1 dimensions to {@code shape} (-1 keeps a size), as a view. */
    public Tensor expand(int... shape) {
        return Views.expand(this, shape);
    }

    /** Every size-1 dimension removed. */
    public Tensor squeeze() {
        return Views.squeeze(this, null);
    }

    /** Dimension {@code dim} removed if its size is 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** A size-1 dimension inserted at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** Dimensions {@code startDim..endDim} merged into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    /** All dimensions merged into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** This tensor if contiguous, else a row-major copy (the gradient flows through). */
    public Tensor contiguous() {
        return Views.contiguous(this);
    }

    // ---------------------------------------------------------------- indexing and joining

    /** The slices at {@code index} (a rank-0 or rank-1 int64 or int32 tensor; negatives count from the end) along {@code dim}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for {@code dim = 1}, and likewise for any dim; {@code index} is int64 or int32. */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** A copy of this tensor with {@code source[i][j]} added at {@code [i][index[i][j]]} (for dim 1). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor source) {
        return Indexing.scatterAdd(this, dim, index, source);
    }

    /** One-hot float32 rows: {@code out[…, c] = 1} where {@code c} is the (int64 or int32) class index at {@code […]}. */
    public static Tensor oneHot(Tensor indices, int numClasses) {
        return Indexing.oneHot(indices, numClasses);
    }

    /** The tensors joined along {@code dim}; all other sizes must agree. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Indexing.cat(tensors, dim);
    }

    /** The tensors, all of one shape, stacked along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Indexing.stack(tensors, dim);
    }

    /** Views of consecutive pieces of {@code splitSize} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) {
        return Indexing.split(this, splitSize, dim);
    }

    /** {@code chunks} views of (nearly) equal size along {@code dim}, as PyTorch's {@code chunk}. */
    public List<Tensor> chunk(int chunks, int dim) {
        return Indexing.chunk(this, chunks, dim);
    }

    // ---------------------------------------------------------------- printing

    /** The values, formatted like PyTorch's tensors, with the shape. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}

package dev.soma.testing;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A tiny double-precision reference tensor for tests: row-major values and a shape, nothing else.
 *
 * <p>Each op is written as plainly as possible, element by element through multi-indices, and shares
 * no code with Soma, so that a test can state what a Soma op should compute a second, independent
 * way. Semantics follow PyTorch (NumPy broadcasting, {@code matmul}'s promotion of vectors, negative
 * dims counting from the end). Speed does not matter; clarity does.
 */
public record Ref(double[] data, int[] shape) {

    public Ref {
        if (data.length != numel(shape)) {
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        }
    }

    public static Ref of(double[] data, int... shape) {
        return new Ref(data.clone(), shape.clone());
    }

    public static Ref scalar(double value) {
        return new Ref(new double[] {value}, new int[0]);
    }

    public static Ref zeros(int... shape) {
        return new Ref(new double[numel(shape)], shape.clone());
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    public double get(int... index) {
        return data[offset(shape, index)];
    }

    /** The values as ints (for index tensors). */
    public int[] ints() {
        return Arrays.stream(data).mapToInt(v -> (int) v).toArray();
    }

    @Override
    public String toString() {
        return "Ref" + Arrays.toString(shape) + Arrays.toString(data);
    }

    // ---------------------------------------------------------------- index arithmetic

    static int numel(int[] shape) {
        int n = 1;
        for (int size : shape) {
            n *= size;
        }
        return n;
    }

    /** The row-major position of {@code index} in a tensor of {@code shape}. */
    static int offset(int[] shape, int[] index) {
        int position = 0;
        for (int d = 0; d < shape.length; d++) {
            position = position * shape[d] + index[d];
        }
        return position;
    }

    /** The multi-index of row-major position {@code position} in {@code shape}. */
    static int[] unravel(int[] shape, int position) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = position % shape[d];
            position /= shape[d];
        }
        return index;
    }

    private static int axis(int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException("dim " + dim + " out of range for rank " + rank);
        }
        return d;
    }

    // ---------------------------------------------------------------- elementwise

    public Ref map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(data[i]);
        }
        return new Ref(out, shape.clone());
    }

    /**
     * The error function, {@code 2/√π ∫₀ˣ e^(-t²) dt}: its Maclaurin series up to |x| = 2.5 (terms
     * below 1e-17 dropped; the largest term is below 20, so about 1e-15 is lost to cancellation),
     * beyond it {@code 1 - erfc x} with erfc's continued fraction
     * {@code e^(-x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))}, 200 levels deep.
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        if (z <= 2.5) {
            double sum = 0;
            double power = x;
            for (int n = 0; ; n++) {
                double term = power / (2 * n + 1);
                sum += term;
                if (Math.abs(term) < 1e-17) {
                    break;
                }
                power *= -x * x / (n + 1);
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        double fraction = z;
        for (int k = 200; k >= 1; k--) {
            fraction = z + (k / 2.0) / fraction;
        }
        double erfc = Math.exp(-z * z) / (Math.sqrt(Math.PI) * fraction);
        return Math.signum(x) * (1 - erfc);
    }

    /** NumPy broadcasting: align from the right; sizes must match or be 1. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int sa = d < rank - a.length ? 1 : a[d - (rank - a.length)];
            int sb = d < rank - b.length ? 1 : b[d - (rank - b.length)];
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[d] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /** The element of this tensor that broadcasting maps to {@code index} of a larger shape. */
    private double broadcastGet(int[] index) {
        int lead = index.length - shape.length;
        int[] own = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            own[d] = shape[d] == 1 ? 0 : index[d + lead];
        }
        return data[offset(shape, own)];
    }

    public Ref zip(Ref other, DoubleBinaryOperator f) {
        int[] outShape = broadcastShape(shape, other.shape);
        double[] out = new double[numel(outShape)];
        for (int i = 0; i < out.length; i++) {
            int[] index = unravel(outShape, i);
            out[i] = f.applyAsDouble(broadcastGet(index), other.broadcastGet(index));
        }
        return new Ref(out, outShape);
    }

    public Ref add(Ref other) {
        return zip(other, Double::sum);
    }

    public Ref sub(Ref other) {
        return zip(other, (a, b) -> a - b);
    }

    public Ref mul(Ref other) {
        return zip(other, (a, b) -> a * b);
    }

    public Ref div(Ref other) {
        return zip(other, (a, b) -> a / b);
    }

    public Ref add(double value) {
        return map(a -> a + value);
    }

    public Ref mul(double value) {
        return map(a -> a * value);
    }

    /** {@code condition ≠ 0 ? a : b}, all three broadcast. */
    public static Ref where(Ref condition, Ref a, Ref b) {
        int[] outShape = broadcastShape(broadcastShape(condition.shape, a.shape), b.shape);
        double[] out = new double[numel(outShape)];
        for (int i = 0; i < out.length; i++) {
            int[] index = unravel(outShape, i);
            out[i] = condition.broadcastGet(index) != 0 ? a.broadcastGet(index) : b.broadcastGet(index);
        }
        return new Ref(out, outShape);
    }

    /** {@code Σ this ⊙ weights} over all elements (same shapes). */
    public double dot(Ref weights) {
        if (!Arrays.equals(shape, weights.shape)) {
            throw new IllegalArgumentException("dot: " + Arrays.toString(shape) + " vs " + Arrays.toString(weights.shape));
        }
        double sum = 0;
        for (int i = 0; i < data.length; i++) {
            sum += data[i] * weights.data[i];
        }
        return sum;
    }

    // ---------------------------------------------------------------- reductions

    private boolean[] reducedDims(int[] dims) {
        boolean[] reduced = new boolean[shape.length];
        if (dims.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int dim : shape.length == 0 ? new int[0] : dims) { // rank 0: dim 0 or -1 is "all", as PyTorch
            reduced[axis(dim, shape.length)] = true;
        }
        return reduced;
    }

    private int[] reducedShape(boolean[] reduced, boolean keepDim) {
        return Arrays.stream(range(shape.length))
                .filter(d -> keepDim || !reduced[d])
                .map(d -> reduced[d] ? 1 : shape[d])
                .toArray();
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Folds {@code combine} over the elements of {@code dims} (all when empty), starting at {@code identity}. */
    public Ref reduce(int[] dims, boolean keepDim, double identity, DoubleBinaryOperator combine) {
        boolean[] reduced = reducedDims(dims);
        int[] keptShape = reducedShape(reduced, true);
        double[] out = new double[numel(keptShape)];
        Arrays.fill(out, identity);
        for (int i = 0; i < data.length; i++) {
            int[] index = unravel(shape, i);
            for (int d = 0; d < index.length; d++) {
                if (reduced[d]) {
                    index[d] = 0;
                }
            }
            int o = offset(keptShape, index);
            out[o] = combine.applyAsDouble(out[o], data[i]);
        }
        return new Ref(out, reducedShape(reduced, keepDim));
    }

    /** The number of elements each output element of a reduction over {@code dims} sees. */
    public int count(int[] dims) {
        boolean[] reduced = reducedDims(dims);
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
            n *= reduced[d] ? shape[d] : 1;
        }
        return n;
    }

    public Ref sum(int[] dims, boolean keepDim) {
        return reduce(dims, keepDim, 0, Double::sum);
    }

    public Ref max(int[] dims, boolean keepDim) {
        return reduce(dims, keepDim, Double.NEGATIVE_INFINITY, Math::max);
    }

    public Ref min(int[] dims, boolean keepDim) {
        return reduce(dims, keepDim, Double.POSITIVE_INFINITY, Math::min);
    }

    public Ref mean(int[] dims, boolean keepDim) {
        return sum(dims, keepDim).mul(1.0 / count(dims));
    }

    /** {@code Σ (x - mean)² / (N - correction)}. */
    public Ref var(int[] dims, int correction, boolean keepDim) {
        Ref centered = sub(mean(dims, true));
        return centered.mul(centered).sum(dims, keepDim).mul(1.0 / (count(dims) - correction));
    }

    /** {@code ln Σ eˣ}, directly: doubles hold e^700, and tests stay far below. */
    public Ref logsumexp(int[] dims, boolean keepDim) {
        return map(Math::exp).sum(dims, keepDim).map(Math::log);
    }

    public Ref softmax(int dim) {
        Ref e = map(Math::exp);
        return e.div(e.sum(new int[] {dim}, true));
    }

    public Ref logSoftmax(int dim) {
        return sub(logsumexp(new int[] {dim}, true));
    }

    // ---------------------------------------------------------------- shapes and views (all copies)

    /** The same values with {@code newShape}; one size may be -1. */
    public Ref reshape(int... newShape) {
        int[] target = newShape.clone();
        int known = 1;
        int inferred = -1;
        for (int d = 0; d < target.length; d++) {
            if (target[d] == -1) {
                inferred = d;
            } else {
                known *= target[d];
            }
        }
        if (inferred >= 0) {
            target[inferred] = data.length / known;
        }
        return new Ref(data.clone(), target);
    }

    /** Dimension i of the result is dimension {@code dims[i]} of this one. */
    public Ref permute(int... dims) {
        int[] order = new int[dims.length];
        int[] outShape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            order[i] = axis(dims[i], shape.length);
            outShape[i] = shape[order[i]];
        }
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            int[] outIndex = unravel(outShape, i);
            int[] index = new int[shape.length];
            for (int k = 0; k < order.length; k++) {
                index[order[k]] = outIndex[k];
            }
            out[i] = data[offset(shape, index)];
        }
        return new Ref(out, outShape);
    }

    public Ref transpose(int dim0, int dim1) {
        int[] order = range(shape.length);
        int a = axis(dim0, shape.length);
        int b = axis(dim1, shape.length);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Python's {@code [start:end:step]} along {@code dim}, with {@code 0 ≤ start ≤ end ≤ size}. */
    public Ref slice(int dim, int start, int end, int step) {
        int d = axis(dim, shape.length);
        int[] outShape = shape.clone();
        outShape[d] = (end - start + step - 1) / step;
        double[] out = new double[numel(outShape)];
        for (int i = 0; i < out.length; i++) {
            int[] index = unravel(outShape, i);
            index[d] = start + index[d] * step;
            out[i] = data[offset(shape, index)];
        }
        return new Ref(out, outShape);
    }

    public Ref select(int dim, int index) {
        int d = axis(dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        return slice(d, i, i + 1, 1).squeeze(d);
    }

    /** Size-1 dims (and new leading dims) repeated to {@code newShape}; -1 keeps a size. */
    public Ref expand(int... newShape) {
        int[] target = newShape.clone();
        int lead = target.length - shape.length;
        for (int d = lead; d < target.length; d++) {
            if (target[d] == -1) {
                target[d] = shape[d - lead];
            }
        }
        double[] out = new double[numel(target)];
        for (int i = 0; i < out.length; i++) {
            out[i] = broadcastGet(unravel(target, i));
        }
        return new Ref(out, target);
    }

    public Ref unsqueeze(int dim) {
        int d = dim < 0 ? dim + shape.length + 1 : dim;
        int[] outShape = new int[shape.length + 1];
        for (int i = 0, o = 0; i < outShape.length; i++) {
            outShape[i] = i == d ? 1 : shape[o++];
        }
        return new Ref(data.clone(), outShape);
    }

    /** Without dimension {@code dim} if its size is 1. */
    public Ref squeeze(int dim) {
        int d = axis(dim, shape.length);
        if (shape[d] != 1) {
            return this;
        }
        int[] outShape = new int[shape.length - 1];
        for (int i = 0, o = 0; i < shape.length; i++) {
            if (i != d) {
                outShape[o++] = shape[i];
            }
        }
        return new Ref(data.clone(), outShape);
    }

    /** Without any size-1 dimension. */
    public Ref squeeze() {
        return new Ref(data.clone(), Arrays.stream(shape).filter(s -> s != 1).toArray());
    }

    // ---------------------------------------------------------------- indexing and joining

    /** {@code out[…, j, …] = this[…, index[j], …]} along {@code dim}. */
    public Ref indexSelect(int dim, int[] index) {
        int d = axis(dim, shape.length);
        int[] outShape = shape.clone();
        outShape[d] = index.length;
        double[] out = new double[numel(outShape)];
        for (int i = 0; i < out.length; i++) {
            int[] position = unravel(outShape, i);
            position[d] = index[position[d]];
            out[i] = data[offset(shape, position)];
        }
        return new Ref(out, outShape);
    }

    /** {@code out[p] = this[p with p[dim] replaced by index[p]]}; out has the index's shape. */
    public Ref gather(int dim, Ref index) {
        int d = axis(dim, shape.length);
        double[] out = new double[index.numel()];
        for (int i = 0; i < out.length; i++) {
            int[] position = unravel(index.shape, i);
            position[d] = (int) index.data[i];
            out[i] = data[offset(shape, position)];
        }
        return new Ref(out, index.shape.clone());
    }

    /** A copy of this with {@code source[p]} added at {@code p with p[dim] replaced by index[p]}. */
    public Ref scatterAdd(int dim, Ref index, Ref source) {
        int d = axis(dim, shape.length);
        double[] out = data.clone();
        for (int i = 0; i < index.numel(); i++) {
            int[] position = unravel(index.shape, i);
            position[d] = (int) index.data[i];
            out[offset(shape, position)] += source.data[i];
        }
        return new Ref(out, shape.clone());
    }

    /** The parts joined along {@code dim}. */
    public static Ref cat(int dim, Ref... parts) {
        int d = axis(dim, parts[0].shape.length);
        int[] outShape = parts[0].shape.clone();
        outShape[d] = 0;
        for (Ref part : parts) {
            outShape[d] += part.shape[d];
        }
        double[] out = new double[numel(outShape)];
        for (int i = 0; i < out.length; i++) {
            int[] index = unravel(outShape, i);
            int p = 0;
            while (index[d] >= parts[p].shape[d]) {
                index[d] -= parts[p].shape[d];
                p++;
            }
            out[i] = parts[p].data[offset(parts[p].shape, index)];
        }
        return new Ref(out, outShape);
    }

    public static Ref stack(int dim, Ref... parts) {
        int d = dim < 0 ? dim + parts[0].shape.length + 1 : dim;
        Ref[] expanded = Arrays.stream(parts).map(p -> p.unsqueeze(d)).toArray(Ref[]::new);
        return cat(d, expanded);
    }

    // ---------------------------------------------------------------- matmul

    /**
     * PyTorch's {@code matmul}: 1-D·1-D is a dot product; a 1-D left operand is a row [1, k] and a
     * 1-D right operand a column [k, 1], the added dimension dropped after; leading dims are batch
     * dims that broadcast.
     */
    public Ref matmul(Ref other) {
        Ref a = rank() == 1 ? unsqueeze(0) : this;
        Ref b = other.rank() == 1 ? other.unsqueeze(1) : other;
        int m = a.shape[a.rank() - 2];
        int k = a.shape[a.rank() - 1];
        int n = b.shape[b.rank() - 1];
        if (b.shape[b.rank() - 2] != k) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(shape) + " @ " + Arrays.toString(other.shape));
        }
        int[] batch = broadcastShape(Arrays.copyOf(a.shape, a.rank() - 2), Arrays.copyOf(b.shape, b.rank() - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        double[] out = new double[numel(outShape)];
        for (int t = 0; t < numel(batch); t++) {
            int[] batchIndex = unravel(batch, t);
            int aStart = a.matrixStart(batchIndex);
            int bStart = b.matrixStart(batchIndex);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += a.data[aStart + i * k + p] * b.data[bStart + p * n + j];
                    }
                    out[(t * m + i) * n + j] = sum;
                }
            }
        }
        Ref result = new Ref(out, outShape);
        if (rank() == 1) {
            result = result.squeeze(-2);
        }
        if (other.rank() == 1) {
            result = result.squeeze(-1);
        }
        return result;
    }

    /** Where the matrix that broadcast batch index {@code batchIndex} selects starts in {@code data}. */
    private int matrixStart(int[] batchIndex) {
        int[] index = new int[shape.length];
        int lead = batchIndex.length - (shape.length - 2);
        for (int d = 0; d < shape.length - 2; d++) {
            index[d] = shape[d] == 1 ? 0 : batchIndex[d + lead];
        }
        return offset(shape, index);
    }
}

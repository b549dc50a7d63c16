package dev.soma.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that pick, place and join elements by index: indexSelect, gather, scatterAdd, cat (and stack,
 * split, chunk built on it), oneHot. Index tensors are int64 or int32, as PyTorch's (a float index
 * tensor is an error, as there); the tensors picked from may have any type.
 * The backward of picking is placing: gather's gradient is a scatter-add, and the reverse.
 */
final class Indexing {

    private Indexing() {
    }

    /** The index values as ints, checked to be whole and inside {@code [-size, size)}, negatives wrapped. */
    private static int[] indices(String op, Tensor index, int size, int dim) {
        requireIndexType(op, index);
        long[] values = Typed.longs(index);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v < -size || v >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " (position " + i + ") is out of range"
                        + " for dim " + dim + " of size " + size);
            }
            out[i] = (int) (v < 0 ? v + size : v);
        }
        return out;
    }

    /** Index tensors are int64 or int32 (PyTorch's {@code gather} and {@code scatter_add} take int64 only). */
    private static void requireIndexType(String op, Tensor index) {
        if (index.dtype != DType.INT64 && index.dtype != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected an int64 or int32 index tensor, got " + index.dtype
                    + (index.dtype.isFloatingPoint() ? " (convert with toLong())" : ""));
        }
    }

    /** Float64 sources are picked from, but their gradient is float32's only. */
    private static void requireNoDoubleGradient(String op, Tensor x) {
        if (x.dtype == DType.FLOAT64 && x.requiresGrad() && NoGrad.isGradEnabled()) {
            throw new IllegalArgumentException(op + ": gradients through float64 tensors are not implemented");
        }
    }

    private static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int d = from; d < to; d++) {
            n *= shape[d];
        }
        return n;
    }

    /** The slices of {@code x} at {@code index} along {@code dim}: {@code out[…, j, …] = x[…, index[j], …]}. */
    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shape.dim("indexSelect", dim, x.shape.length);
        if (index.shape.length > 1) {
            throw new IllegalArgumentException("indexSelect: index must be rank 0 or 1, got shape "
                    + Shape.format(index.shape));
        }
        int rank = x.shape.length;
        int size = rank == 0 ? 1 : x.shape[d];
        int[] picks = indices("indexSelect", index, size, d);
        int outer = product(x.shape, 0, d);
        int inner = product(x.shape, Math.min(d + 1, rank), rank);
        int[] outShape = x.shape.clone();
        if (rank > 0) {
            outShape[d] = picks.length;
        }
        if (x.dtype != DType.FLOAT32) {
            requireNoDoubleGradient("indexSelect", x);
            int[] positions = new int[Shape.numel(outShape)];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < picks.length; j++) {
                    for (int i = 0; i < inner; i++) {
                        positions[(o * picks.length + j) * inner + i] = (o * size + picks[j]) * inner + i;
                    }
                }
            }
            return Typed.take(x, positions, outShape);
        }
        float[] in = x.contiguousData();
        float[] out = new float[Shape.numel(outShape)];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < picks.length; j++) {
                System.arraycopy(in, (o * size + picks[j]) * inner, out, (o * picks.length + j) * inner, inner);
            }
        }
        int[] inputShape = x.shape;
        return Autograd.record("indexSelect", Tensor.wrap(out, outShape), g -> {
            float[] gv = g.contiguousData();
            float[] gx = new float[Shape.numel(inputShape)];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < picks.length; j++) {
                    int to = (o * size + picks[j]) * inner;
                    int from = (o * picks.length + j) * inner;
                    for (int i = 0; i < inner; i++) {
                        gx[to + i] += gv[from + i];
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(gx, inputShape), null};
        }, x, index);
    }

    /**
     * Visits each position of {@code index} (row-major) with the row-major offset into a tensor of
     * {@code target} shape at that position, its {@code dim} coordinate replaced by the index value.
     */
    private static void forEachIndexed(String op, int[] target, Tensor index, int dim, IndexVisitor visitor) {
        int rank = target.length;
        if (index.shape.length != rank) {
            throw new IllegalArgumentException(op + ": index has rank " + index.shape.length + " " + Shape.format(index.shape)
                    + ", the tensor has rank " + rank + " " + Shape.format(target));
        }
        for (int d = 0; d < rank; d++) {
            if (d != dim && index.shape[d] > target[d]) {
                throw new IllegalArgumentException(op + ": index shape " + Shape.format(index.shape)
                        + " is larger than the tensor's " + Shape.format(target) + " in dim " + d);
            }
        }
        int[] picks = indices(op, index, rank == 0 ? 1 : target[dim], dim);
        int[] steps = Shape.contiguousStrides(target); // the target's strides, but 0 along dim
        int dimStride = rank == 0 ? 0 : steps[dim];
        if (rank > 0) {
            steps[dim] = 0;
        }
        int[] position = new int[rank];
        int base = 0; // Σ position[d]·steps[d]: the target offset of the current position, dim left out
        for (int i = 0; i < picks.length; i++) {
            visitor.visit(i, base + picks[i] * dimStride);
            for (int d = rank - 1; d >= 0; d--) {
                position[d]++;
                base += steps[d];
                if (position[d] < index.shape[d]) {
                    break;
                }
                base -= position[d] * steps[d];
                position[d] = 0;
            }
        }
    }

    @FunctionalInterface
    private interface IndexVisitor {
        void visit(int indexPosition, int targetOffset);
    }

    /** {@code out[i][j][k] = x[i][index[i][j][k]][k]} for dim 1 (likewise for any dim); out has index's shape. */
    static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shape.dim("gather", dim, x.shape.length);
        if (x.dtype != DType.FLOAT32) {
            requireNoDoubleGradient("gather", x);
            int[] positions = new int[index.numel()];
            forEachIndexed("gather", x.shape, index, d, (i, offset) -> positions[i] = offset);
            return Typed.take(x, positions, index.shape.clone());
        }
        float[] in = x.contiguousData();
        float[] out = new float[index.numel()];
        forEachIndexed("gather", x.shape, index, d, (i, offset) -> out[i] = in[offset]);
        int[] inputShape = x.shape;
        return Autograd.record("gather", Tensor.wrap(out, index.shape.clone()), g -> {
            float[] gv = g.contiguousData();
            float[] gx = new float[Shape.numel(inputShape)];
            forEachIndexed("gather", inputShape, index, d, (i, offset) -> gx[offset] += gv[i]);
            return new Tensor[] {Tensor.wrap(gx, inputShape), null};
        }, x, index);
    }

    /**
     * A copy of {@code x} with {@code source[i][j][k]} added at {@code [i][index[i][j][k]][k]} for dim 1
     * (likewise for any dim). {@code source} must have {@code index}'s shape. ∂/∂x = 1; ∂/∂source is
     * the gradient gathered at the same positions.
     */
    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor source) {
        int d = Shape.dim("scatterAdd", dim, x.shape.length);
        Typed.requireFloat32("scatterAdd", x, source);
        requireIndexType("scatterAdd", index);
        if (!Arrays.equals(index.shape, source.shape)) {
            throw new IllegalArgumentException("scatterAdd: source shape " + Shape.format(source.shape)
                    + " must equal index shape " + Shape.format(index.shape));
        }
        float[] out = x.toArray();
        float[] src = source.contiguousData();
        forEachIndexed("scatterAdd", x.shape, index, d, (i, offset) -> out[offset] += src[i]);
        return Autograd.record("scatterAdd", Tensor.wrap(out, x.shape.clone()), g -> new Tensor[] {
            g, null, source.requiresGrad() ? gather(g, d, index) : null}, x, index, source);
    }

    /** {@code out[…, c] = 1} where {@code c = indices[…]}; -1 classes means {@code max(indices) + 1}. */
    static Tensor oneHot(Tensor indices, int numClasses) {
        requireIndexType("oneHot", indices);
        long[] values = Typed.longs(indices);
        int classes = numClasses;
        if (classes == -1) {
            classes = 0;
            for (long v : values) {
                classes = (int) Math.max(classes, Math.min(v + 1, Integer.MAX_VALUE));
            }
        } else if (classes < 0) {
            throw new IllegalArgumentException("oneHot: numClasses must be ≥ 0 or -1, got " + numClasses);
        }
        int[] shape = Arrays.copyOf(indices.shape, indices.shape.length + 1);
        shape[shape.length - 1] = classes;
        float[] out = new float[Shape.numel(shape)];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v < 0 || v >= classes) {
                throw new IndexOutOfBoundsException("oneHot: class index " + v + " (position " + i
                        + ") is out of range for " + classes + " classes");
            }
            out[i * classes + (int) v] = 1;
        }
        return Tensor.wrap(out, shape);
    }

    /** The tensors joined along {@code dim}; the gradient is cut back into the pieces. */
    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expects at least one tensor");
        }
        int[] first = tensors.getFirst().shape;
        if (first.length == 0) {
            throw new IllegalArgumentException("cat: rank-0 tensors cannot be joined; unsqueeze them or use stack");
        }
        int d = Shape.dim("cat", dim, first.length);
        int[] shape = first.clone();
        shape[d] = 0;
        for (int t = 0; t < tensors.size(); t++) {
            int[] s = tensors.get(t).shape;
            for (int k = 0; k < first.length; k++) {
                if (s.length != first.length || (k != d && s[k] != first[k])) {
                    throw new IllegalArgumentException("cat: tensor " + t + " has shape " + Shape.format(s)
                            + ", tensor 0 has " + Shape.format(first) + "; all sizes but dim " + d + " must agree");
                }
            }
            shape[d] += s[d];
        }
        DType type = tensors.getFirst().dtype;
        for (Tensor piece : tensors) {
            type = DType.promote(type, piece.dtype);
        }
        Tensor out = Tensor.zeros(type, shape);
        int[] starts = new int[tensors.size()];
        int position = 0;
        for (int t = 0; t < tensors.size(); t++) {
            Tensor piece = tensors.get(t);
            starts[t] = position;
            Tensor region = Views.slice(out, d, position, position + piece.shape[d], 1, "narrow");
            if (type == DType.FLOAT32) {
                Strided.write(region, piece.contiguousData(), false);
            } else {
                Typed.write(region, piece);
            }
            position += piece.shape[d];
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return Autograd.record("cat", out, g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int t = 0; t < inputs.length; t++) {
                grads[t] = inputs[t].requiresGrad() ? g.narrow(d, starts[t], inputs[t].shape[d]) : null;
            }
            return grads;
        }, inputs);
    }

    /** The tensors, all of one shape, stacked along a new dimension {@code dim}. */
    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expects at least one tensor");
        }
        int[] first = tensors.getFirst().shape;
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (int t = 0; t < tensors.size(); t++) {
            Tensor x = tensors.get(t);
            if (!Arrays.equals(x.shape, first)) {
                throw new IllegalArgumentException("stack: tensor " + t + " has shape " + Shape.format(x.shape)
                        + ", tensor 0 has " + Shape.format(first) + "; all must be equal");
            }
            expanded.add(x.unsqueeze(dim));
        }
        return cat(expanded, dim < 0 ? dim + first.length + 1 : dim);
    }

    /** Consecutive views of {@code splitSize} along {@code dim}; the last holds what remains. */
    static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = Shape.dim("split", dim, x.shape.length);
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split: splitSize must be > 0, got " + splitSize);
        }
        int size = x.shape[d];
        List<Tensor> pieces = new ArrayList<>();
        for (int start = 0; start < size || (size == 0 && pieces.isEmpty()); start += splitSize) {
            pieces.add(x.narrow(d, start, Math.min(splitSize, size - start)));
        }
        return pieces;
    }

    /** {@code chunks} views along {@code dim}, each of {@code ⌈size / chunks⌉} but the last (PyTorch's rule). */
    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be > 0, got " + chunks);
        }
        int d = Shape.dim("chunk", dim, x.shape.length);
        int size = x.shape[d];
        return split(x, Math.max(1, (size + chunks - 1) / chunks), d);
    }
}

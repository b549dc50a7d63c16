package dev.soma.tensor;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.UnaryOp;
import java.util.Arrays;

/**
 * Elementwise ops with broadcasting, each differentiable primitive with its backward rule beside it.
 *
 * <p>Broadcasting follows NumPy: shapes align from the last dimension and size-1 dimensions stretch.
 * In backward, a gradient flowing to a broadcast input is summed over the dimensions it was stretched
 * along ({@link #sumTo}), since each input element fed every output element in its stretch.
 */
final class Elementwise {

    private static final Kernels KERNELS = Kernels.active();
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private Elementwise() {
    }

    // ---------------------------------------------------------------- forward loops (no graph)

    /** {@code op(x)} elementwise, as a new contiguous tensor. */
    static Tensor map(UnaryOp op, Tensor x) {
        if (x.dtype != DType.FLOAT32) {
            return TypedElementwise.map(op, x);
        }
        float[] in = x.contiguousData();
        float[] out = new float[in.length];
        KERNELS.map(op, in, 0, out, 0, in.length);
        return Tensor.wrap(out, x.shape.clone());
    }

    /** {@code op(a, b)} elementwise with broadcasting, as a new contiguous tensor. */
    static Tensor zip(BinaryOp op, String name, Tensor a, Tensor b) {
        if (a.dtype != DType.FLOAT32 || b.dtype != DType.FLOAT32) {
            return typedZip(op, name, a, b);
        }
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape.clone() : Shape.broadcast(name, a.shape, b.shape);
        int n = Shape.numel(shape);
        float[] out = new float[n];
        if (n == 0) {
            return Tensor.wrap(out, shape);
        }
        float[] ad = a.contiguousData();
        float[] bd = b.contiguousData();
        boolean aFull = ad.length == n;
        boolean bFull = bd.length == n;
        if ((aFull || ad.length == 1) && (bFull || bd.length == 1)) {
            KERNELS.zip(op, ad, 0, aFull ? 1 : 0, bd, 0, bFull ? 1 : 0, out, 0, n);
            return Tensor.wrap(out, shape);
        }
        // General broadcasting: walk the output in rows of its innermost run, where each input either
        // walks (stride 1) or repeats one element (stride 0).
        int[] as = broadcastStrides(a.shape, shape);
        int[] bs = broadcastStrides(b.shape, shape);
        int rank = shape.length;
        int split = rank - 1;
        int inner = shape[rank - 1];
        while (split > 0 && as[split - 1] == as[split] * shape[split] && bs[split - 1] == bs[split] * shape[split]) {
            split--;
            inner *= shape[split];
        }
        int aStep = as[rank - 1] == 0 ? 0 : 1;
        int bStep = bs[rank - 1] == 0 ? 0 : 1;
        int[] index = new int[split];
        int aOffset = 0;
        int bOffset = 0;
        for (int outOffset = 0; outOffset < n; outOffset += inner) {
            KERNELS.zip(op, ad, aOffset, aStep, bd, bOffset, bStep, out, outOffset, inner);
            for (int d = split - 1; d >= 0; d--) {
                index[d]++;
                aOffset += as[d];
                bOffset += bs[d];
                if (index[d] < shape[d]) {
                    break;
                }
                aOffset -= index[d] * as[d];
                bOffset -= index[d] * bs[d];
                index[d] = 0;
            }
        }
        return Tensor.wrap(out, shape);
    }

    /**
     * {@code op(a, b)} when either input is not float32, in the type PyTorch's promotion gives
     * ({@link DType#resultType}); division of integers is true division, into float32; subtraction
     * with a bool operand is refused, as PyTorch refuses it. A float32 result runs on the float32
     * kernels after converting the other input.
     */
    private static Tensor typedZip(BinaryOp op, String name, Tensor a, Tensor b) {
        if (op == BinaryOp.SUB && (a.dtype == DType.BOOL || b.dtype == DType.BOOL)) {
            throw TypedElementwise.undefinedForBool(name); // PyTorch refuses int − bool and float − bool too
        }
        DType type = DType.resultType(a, b);
        if (op == BinaryOp.DIV && type.isIntegral()) {
            type = DType.FLOAT32;
        }
        if (type == DType.FLOAT32) {
            return zip(op, name, a.dtype == type ? a : Typed.convert(a, type), b.dtype == type ? b : Typed.convert(b, type));
        }
        return TypedElementwise.zip(op, name, a, b, type);
    }

    /** {@code target += source} in place, for tensors of one shape (gradient accumulation). */
    static void addInto(Tensor target, Tensor source) {
        Typed.requireFloat32("addInto", target, source);
        float[] values = source.contiguousData();
        if (target.denseStorage() != null) {
            KERNELS.zip(BinaryOp.ADD, target.data, 0, 1, values, 0, 1, target.data, 0, values.length);
        } else {
            Strided.write(target, values, true);
        }
    }

    /** Row-major strides of {@code shape}, aligned to {@code target}, 0 along broadcast dimensions. */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = Shape.contiguousStrides(shape);
        int[] strides = new int[target.length];
        int lead = target.length - shape.length;
        for (int d = lead; d < target.length; d++) {
            strides[d] = shape[d - lead] == 1 ? 0 : own[d - lead];
        }
        return strides;
    }

    /**
     * The gradient {@code g} of a broadcast result reduced to an input's {@code shape}: summed over the
     * leading dimensions the input lacked and over the dimensions where it had size 1.
     */
    static Tensor sumTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) {
            return g;
        }
        int lead = g.shape.length - shape.length;
        int[] dims = new int[g.shape.length];
        int count = 0;
        for (int d = 0; d < g.shape.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && g.shape[d] != 1)) {
                dims[count++] = d;
            }
        }
        Tensor summed = count == 0 ? g : Reductions.sum(g, Arrays.copyOf(dims, count), true);
        return summed.reshape(shape);
    }

    private static boolean needs(Tensor t) {
        return t.requiresGrad();
    }

    // ---------------------------------------------------------------- arithmetic primitives

    /** {@code a + b}; ∂/∂a = 1, ∂/∂b = 1. */
    static Tensor add(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.ADD, "add", a, b);
        int[] as = a.shape;
        int[] bs = b.shape;
        return Autograd.record("add", out, g -> new Tensor[] {sumTo(g, as), sumTo(g, bs)}, a, b);
    }

    /** {@code a - b}; ∂/∂a = 1, ∂/∂b = -1. */
    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.SUB, "sub", a, b);
        int[] as = a.shape;
        int[] bs = b.shape;
        return Autograd.record("sub", out, g -> new Tensor[] {
            sumTo(g, as), needs(b) ? sumTo(g.neg(), bs) : null}, a, b);
    }

    /** {@code a · b}; ∂/∂a = b, ∂/∂b = a. */
    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.MUL, "mul", a, b);
        return Autograd.record("mul", out, g -> new Tensor[] {
            needs(a) ? sumTo(g.mul(b), a.shape) : null,
            needs(b) ? sumTo(g.mul(a), b.shape) : null}, a, b);
    }

    /** {@code a / b}; ∂/∂a = 1/b, ∂/∂b = -a/b² = -out/b. */
    static Tensor div(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.DIV, "div", a, b);
        return Autograd.record("div", out, g -> new Tensor[] {
            needs(a) ? sumTo(g.div(b), a.shape) : null,
            needs(b) ? sumTo(g.mul(out).div(b).neg(), b.shape) : null}, a, b);
    }

    /** {@code -x}; ∂/∂x = -1. */
    static Tensor neg(Tensor x) {
        return Autograd.record("neg", map(UnaryOp.NEG, x), g -> new Tensor[] {g.neg()}, x);
    }

    /**
     * {@code aᵇ}; ∂/∂a = b·aᵇ⁻¹ (0 where b = 0), ∂/∂b = aᵇ·ln a (0 where a = 0 and b ≥ 0, the limit
     * PyTorch also takes).
     */
    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.POW, "pow", a, b);
        return Autograd.record("pow", out, g -> {
            Tensor ga = null;
            Tensor gb = null;
            if (needs(a)) {
                Tensor local = Tensor.where(b.eq(0), Tensor.scalar(0), b.mul(a.pow(b.sub(1))));
                ga = sumTo(g.mul(local), a.shape);
            }
            if (needs(b)) {
                Tensor zeroBase = a.eq(0).mul(b.ge(Tensor.scalar(0)));
                Tensor local = Tensor.where(zeroBase, Tensor.scalar(0), out.mul(a.log()));
                gb = sumTo(g.mul(local), b.shape);
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    /** {@code eˣ}; ∂/∂x = eˣ = out. */
    static Tensor exp(Tensor x) {
        Tensor out = map(UnaryOp.EXP, x);
        return Autograd.record("exp", out, g -> new Tensor[] {g.mul(out)}, x);
    }

    /** {@code ln x}; ∂/∂x = 1/x. */
    static Tensor log(Tensor x) {
        return Autograd.record("log", map(UnaryOp.LOG, x), g -> new Tensor[] {g.div(x)}, x);
    }

    /** {@code √x}; ∂/∂x = 1/(2√x) = 1/(2·out). */
    static Tensor sqrt(Tensor x) {
        Tensor out = map(UnaryOp.SQRT, x);
        return Autograd.record("sqrt", out, g -> new Tensor[] {g.div(out.mul(2))}, x);
    }

    /** {@code |x|}; ∂/∂x = sign x (0 at 0, as PyTorch). */
    static Tensor abs(Tensor x) {
        return Autograd.record("abs", map(UnaryOp.ABS, x), g -> new Tensor[] {g.mul(x.sign())}, x);
    }

    /** -1, 0 or 1; piecewise constant, so no gradient flows (it would be 0 everywhere it exists). */
    static Tensor sign(Tensor x) {
        return map(UnaryOp.SIGN, x);
    }

    /** The comparison mask; not differentiable. */
    static Tensor compare(BinaryOp op, String name, Tensor a, Tensor b) {
        Tensor out = zip(op, name, a, b);
        return out.dtype == DType.BOOL ? out : Typed.convert(out, DType.BOOL);
    }

    /**
     * {@code max(a, b)}; the gradient goes to the larger input, split in half where they are equal
     * (PyTorch's rule for {@code maximum}).
     */
    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.MAX, "maximum", a, b);
        return Autograd.record("maximum", out, g -> splitByComparison(g, a, b, BinaryOp.GT), a, b);
    }

    /** {@code min(a, b)}; the gradient goes to the smaller input, split in half where they are equal. */
    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = zip(BinaryOp.MIN, "minimum", a, b);
        return Autograd.record("minimum", out, g -> splitByComparison(g, a, b, BinaryOp.LT), a, b);
    }

    private static Tensor[] splitByComparison(Tensor g, Tensor a, Tensor b, BinaryOp winsOver) {
        Tensor half = a.eq(b).mul(0.5f);
        Tensor aWins = zip(winsOver, "maximum", a, b).add(half);
        Tensor bWins = zip(winsOver, "maximum", b, a).add(half);
        return new Tensor[] {
            needs(a) ? sumTo(g.mul(aWins), a.shape) : null,
            needs(b) ? sumTo(g.mul(bWins), b.shape) : null};
    }

    /** {@code min(max(x, lo), hi)}; ∂/∂x = 1 where {@code lo ≤ x ≤ hi}, else 0 (as PyTorch). */
    static Tensor clamp(Tensor x, float lo, float hi) {
        Typed.requireFloat32("clamp", x);
        float[] in = x.contiguousData();
        float[] values = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            values[i] = Math.min(Math.max(in[i], lo), hi);
        }
        return Autograd.record("clamp", Tensor.wrap(values, x.shape.clone()), g -> new Tensor[] {
            backwardLoop(g, x, null, (gi, xi, oi) -> gi * ((xi >= lo ? 1f : 0f) * (xi <= hi ? 1f : 0f)))}, x);
    }

    /** {@code c ≠ 0 ? a : b}; the gradient goes to the input that was chosen. */
    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        if (condition.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where: expected a bool condition, got " + condition.dtype
                    + " (compare, as x.gt(0), or convert with toBool())");
        }
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", condition.shape, a.shape), b.shape);
        Tensor out = TypedElementwise.where(condition, a, b, shape, DType.resultType(a, b));
        Tensor zero = Tensor.scalar(0);
        return Autograd.record("where", out, g -> new Tensor[] {
            null,
            needs(a) ? sumTo(where(condition, g, zero), a.shape) : null,
            needs(b) ? sumTo(where(condition, zero, g), b.shape) : null}, condition, a, b);
    }

    /** One element of a fused backward rule: ∂L/∂x from ∂L/∂out, x and out. */
    @FunctionalInterface
    private interface LocalGradient {
        float apply(float g, float x, float out);
    }

    /**
     * The gradient of an elementwise op as one loop instead of a chain of tensor ops (each rule below
     * computes, in the same float operations, what its composed form did). {@code out} may be null.
     */
    private static Tensor backwardLoop(Tensor g, Tensor x, Tensor out, LocalGradient rule) {
        Typed.requireFloat32("backward", g, x);
        float[] gd = g.contiguousData();
        float[] xd = x.contiguousData();
        float[] od = out == null ? null : out.data;
        float[] dx = new float[gd.length];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = rule.apply(gd[i], xd[i], od == null ? 0f : od[i]);
        }
        return Tensor.wrap(dx, x.shape.clone());
    }

    // ---------------------------------------------------------------- activation primitives

    /** {@code max(x, 0)}; ∂/∂x = 1 where x > 0, else 0. */
    static Tensor relu(Tensor x) {
        // NOTE: the gradient at exactly 0 is taken as 0, as PyTorch and tinygrad do.
        return Autograd.record("relu", map(UnaryOp.RELU, x), g -> new Tensor[] {
            x.dtype == DType.FLOAT64 ? where(x.gt(0), g, Tensor.scalar(0)) : reluGradient(g, x)}, x);
    }

    /** {@code g · [x > 0]} in one pass: relu's backward, run on every hidden layer of every step. */
    private static Tensor reluGradient(Tensor g, Tensor x) {
        Typed.requireFloat32("relu", g, x);
        float[] input = x.contiguousData();
        float[] out = new float[input.length];
        KERNELS.zip(BinaryOp.PASS_IF_POSITIVE, g.contiguousData(), 0, 1, input, 0, 1, out, 0, out.length);
        return Tensor.wrap(out, x.shape.clone());
    }

    /**
     * {@code σ(x) = 1/(1 + e⁻ˣ)}; ∂/∂x = σ(x)(1 - σ(x)).
     */
    static Tensor sigmoid(Tensor x) {
        // NOTE: a primitive rather than 1/(1+exp(-x)) composed, so that large negative x cannot
        // overflow exp into inf and the gradient cannot become inf·0 = NaN.
        Tensor out = map(UnaryOp.SIGMOID, x);
        return Autograd.record("sigmoid", out, g -> new Tensor[] {x.dtype == DType.FLOAT64
            ? g.mul(out).mul(out.rsub(1))
            : backwardLoop(g, x, out, (gi, xi, oi) -> gi * oi * (-oi + 1))}, x);
    }

    /** {@code tanh x}; ∂/∂x = 1 - tanh²x. */
    static Tensor tanh(Tensor x) {
        Tensor out = map(UnaryOp.TANH, x);
        return Autograd.record("tanh", out, g -> new Tensor[] {x.dtype == DType.FLOAT64
            ? g.mul(out.mul(out).rsub(1))
            : backwardLoop(g, x, out, (gi, xi, oi) -> gi * (-(oi * oi) + 1))}, x);
    }

    /** {@code erf x}; ∂/∂x = 2/√π · e^(-x²). */
    static Tensor erf(Tensor x) {
        return Autograd.record("erf", map(UnaryOp.ERF, x),
                g -> new Tensor[] {g.mul(x.mul(x).neg().exp().mul((float) TWO_OVER_SQRT_PI))}, x);
    }

    // ---------------------------------------------------------------- composed activations

    /** {@code x > 0 ? x : slope·x}, composed with {@code where} so the gradient at 0 is the slope, as PyTorch's. */
    static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return Tensor.where(x.gt(0), x, x.mul(negativeSlope));
    }

    /** {@code x/2 · (1 + erf(x/√2))}, PyTorch's exact GELU. */
    static Tensor gelu(Tensor x) {
        return x.mul(0.5f).mul(x.mul((float) (1 / Math.sqrt(2))).erf().add(1));
    }

    /**
     * {@code ln(1 + eˣ)}. Above 20 it equals x in float32, so x is returned there (PyTorch's threshold);
     * below, the input to exp is clamped at 20 so that neither branch overflows, even in backward.
     */
    static Tensor softplus(Tensor x) {
        Tensor smooth = x.clamp(Float.NEGATIVE_INFINITY, 20).exp().add(1).log();
        return Tensor.where(x.gt(20), x, smooth);
    }
}

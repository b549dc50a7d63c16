package dev.soma.tensor;

/**
 * The one place that chooses between the two forms of the ops that have two: the composed form
 * ({@link Composed}), the definition, written with differentiable primitives so that autograd derives
 * its backward, and the fused form, which does the same work in one graph node with its own backward
 * rule, for speed:
 *
 * <pre>
 *   op                   composed (the reference)           fused (the default)
 *   linear               matmul(x, Wᵀ) + b                  Fused.linear
 *   binaryCrossEntropy   clamp, log, clamp, mul, add, neg   Fused.binaryCrossEntropy
 *   conv2d               unfold, matmul, + b                Conv2dOp.conv2d
 *   conv2dRelu           conv2d, relu (, maxPool2d)         Conv2dOp.conv2d with an epilogue
 *   maxPool2d            unfold (−∞ padding), argmax, gather  Pooling.maxPool2d
 *     (its indices, maxPool2d with return_indices, come from Pooling in both forms)
 * </pre>
 *
 * The fused forms run unless the system property {@code soma.ops} (or the environment variable
 * {@code SOMA_OPS}) is {@code composed}, read once; {@link #use} changes the form on this thread for a
 * scope. The two agree up to the order of float additions (tests hold each fused op to its composed
 * form); the fused forms keep the library's numbers, and the composed ones are there to read, to test
 * against, and to run a whole program on when a fused op is in doubt.
 */
public final class Ops {

    /** Which form of these ops runs. */
    public enum Form {
        /** The fast siblings, one graph node each: the default. */
        FUSED,
        /** The compositions of primitives that define them. */
        COMPOSED;

        /** {@code fused} or {@code composed} (any case; null or blank: fused); else fused, with a warning. */
        static Form parse(String setting) {
            String value = setting == null ? "" : setting.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (value) {
                case "", "fused" -> FUSED;
                case "composed" -> COMPOSED;
                default -> {
                    System.getLogger("dev.soma.ops").log(System.Logger.Level.WARNING,
                            "soma.ops=" + setting + " is not one of fused, composed; using fused");
                    yield FUSED;
                }
            };
        }
    }

    /** The form a thread starts with: {@code -Dsoma.ops}, else {@code SOMA_OPS}, else fused. */
    static final Form DEFAULT = Form.parse(System.getProperty("soma.ops", System.getenv("SOMA_OPS")));
    private static final ThreadLocal<Form> CURRENT = ThreadLocal.withInitial(() -> DEFAULT);

    private Ops() {
    }

    /** A scope of {@link #use}; closing it restores the form that was current when it began. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs these ops in {@code form} on this thread until the returned scope is closed (scopes nest):
     *
     * <pre>{@code
     * try (var scope = Ops.use(Ops.Form.COMPOSED)) {
     *     loss = model.forward(x);   // every conv2d, linear, … as its composition of primitives
     * }
     * }</pre>
     */
    public static Scope use(Form form) {
        Form previous = CURRENT.get();
        CURRENT.set(form);
        return () -> CURRENT.set(previous);
    }

    /** The form these ops take on this thread now. */
    public static Form form() {
        return CURRENT.get();
    }

    private static boolean composed() {
        return CURRENT.get() == Form.COMPOSED;
    }

    /**
     * {@code input·weightᵀ + bias}: input {@code [*, in]}, weight {@code [out, in]}, bias {@code [out]}
     * or null → {@code [*, out]}.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        Typed.requireFloat32("linear", input, weight, bias);
        return composed() ? Composed.linear(input, weight, bias) : Fused.linear(input, weight, bias);
    }

    /** Binary cross-entropy per element, {@code −(y·ln x + (1 − y)·ln(1 − x))}, each log clamped at −100. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        Typed.requireFloat32("binaryCrossEntropy", input, target);
        return composed() ? Composed.binaryCrossEntropy(input, target) : Fused.binaryCrossEntropy(input, target);
    }

    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        Typed.requireFloat32("conv2d", x, weight, bias);
        return composed() ? Composed.conv2d(x, weight, bias, stride, padding, dilation)
                : Conv2dOp.conv2d(x, weight, bias, stride, stride, padding, padding, dilation, dilation);
    }

    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                         int groups) {
        Typed.requireFloat32("conv2d", x, weight, bias);
        if (groups != 1) {
            return Composed.groupedConv2d(x, weight, bias, stride, padding, dilation, groups);
        }
        return composed() ? Composed.conv2d(x, weight, bias, stride, padding, dilation)
                : Conv2dOp.conv2d(x, weight, bias, stride[0], stride[1], padding[0], padding[1], dilation[0],
                        dilation[1]);
    }

    static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                             boolean maxPool2) {
        Typed.requireFloat32("conv2d", x, weight, bias);
        return composed() ? Composed.conv2dRelu(x, weight, bias, stride, padding, dilation, maxPool2)
                : Conv2dOp.conv2d(x, weight, bias, stride, stride, padding, padding, dilation, dilation,
                        maxPool2 ? Conv2dOp.Epilogue.RELU_MAX_POOL_2 : Conv2dOp.Epilogue.RELU);
    }

    static Tensor maxPool2d(Tensor x, int kernelSize, int stride, int padding, int dilation) {
        Typed.requireFloat32("maxPool2d", x);
        return composed() ? Composed.maxPool2d(x, kernelSize, stride, padding, dilation)
                : Pooling.maxPool2d(x, kernelSize, stride, padding, dilation);
    }

    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Typed.requireFloat32("maxPool2d", x);
        return composed() ? Composed.maxPool2d(x, kernel, stride, padding, dilation, ceilMode)
                : Pooling.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }
}

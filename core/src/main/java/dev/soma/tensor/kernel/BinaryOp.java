package dev.soma.tensor.kernel;

/**
 * The elementwise functions of two arguments that kernels evaluate, {@code out = f(a, b)}.
 *
 * <p>Comparisons return 1 where they hold and 0 where they do not (a float mask), as PyTorch's
 * comparisons do after {@code .float()}. {@link ScalarKernels#apply(BinaryOp, float, float)} is the
 * definition of each one.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** {@code aᵇ}, as {@link Math#pow(double, double)}. */
    POW,
    /** The larger of a and b; NaN if either is NaN (PyTorch's {@code maximum}). */
    MAX,
    /** The smaller of a and b; NaN if either is NaN (PyTorch's {@code minimum}). */
    MIN,
    EQ, NE, LT, LE, GT, GE,
    /** a where b > 0, else 0: relu's backward, where the gradient a passes only where the input b was positive. */
    PASS_IF_POSITIVE
}

package dev.soma.tensor.kernel;

/**
 * What {@link KernelProvider} chose: the kernels, the workers that run parts of work beside them,
 * one line on which matrix product the kernels use and why (for {@code soma --version}), and whether
 * a request was refused (an unknown value, or {@code SOMA_BLAS=openblas} that did not load), which
 * deserves a warning, while {@code auto} keeping Java does not.
 */
public record KernelChoice(Kernels kernels, Workers workers, String gemm, boolean refused) {
}

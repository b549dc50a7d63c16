package dev.soma.tensor;

import java.util.ArrayList;

/**
 * Reverse-mode automatic differentiation, define-by-run: the graph is recorded as ops run and walked
 * backwards by {@link #backward}.
 *
 * <p>Each differentiable op computes its output, then calls {@link #record} with a {@link Backward}
 * rule that maps the gradient of the output, ∂L/∂out, to the gradients of its inputs, ∂L/∂inᵢ, by the
 * chain rule. The rule sits next to the op's forward code. {@code backward} sorts the graph
 * topologically from the root, then visits each node once, after every node that uses its output, and
 * sums (accumulates) the gradient each input receives from all its uses. Leaves, the tensors a user
 * created with {@code requiresGrad}, keep their summed gradient in {@link Tensor#grad()}.
 *
 * <p>Rules run with recording off, so gradients are plain tensors (no higher derivatives). Unless the
 * graph is retained, each node drops its rule (and with it the tensors the rule saved) once used, so a
 * second backward through the same graph fails with a clear error instead of silently using freed state.
 */
final class Autograd {

    private Autograd() {
    }

    /** The chain rule of one op: gradients for its inputs (null where an input needs none). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /** One recorded op application: the op's name, its inputs, and its rule until released. */
    static final class Node {
        final String op;
        final Tensor[] inputs;
        private Backward backward;
        /** The summed gradient of this node's output during a backward pass; null between passes. */
        private Tensor pending;
        /** The pass that last visited this node (see {@link #PASSES}), so no visited-set is needed. */
        private int visited;

        Node(String op, Tensor[] inputs, Backward backward) {
            this.op = op;
            this.inputs = inputs;
            this.backward = backward;
        }
    }

    /** Numbers backward passes, to mark the nodes each one has visited. */
    private static final java.util.concurrent.atomic.AtomicInteger PASSES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Makes {@code output} a node of the graph when recording is on and any input requires a gradient;
     * returns {@code output}. An integer or bool output has no gradient (as in PyTorch) and is never one.
     */
    static Tensor record(String op, Tensor output, Backward backward, Tensor... inputs) {
        if (!NoGrad.isGradEnabled() || output.dtype.isIntegral()) {
            return output;
        }
        for (Tensor input : inputs) {
            if (input != null && input.requiresGrad()) {
                output.attach(new Node(op, inputs, backward));
                return output;
            }
        }
        return output;
    }

    /**
     * Backpropagates {@code gradient} (∂L/∂root) through the graph that produced {@code root}.
     *
     * <p>Gradients in flight are kept on the nodes ({@link Node#pending}) and leaves accumulate theirs as
     * they arrive, so a pass allocates no map: for the small graphs of small networks, hashing and the
     * visited-set used to cost more than the arithmetic.
     */
    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no graph"
                    + " (set requiresGrad on a leaf it depends on, outside a NoGrad scope)");
        }
        if (!java.util.Arrays.equals(root.shape, gradient.shape)) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.format(gradient.shape)
                    + " does not match tensor shape " + Shape.format(root.shape));
        }
        if (root.gradFn() == null) {
            root.accumulateGrad(gradient);
            return;
        }
        ArrayList<Tensor> order = topologicalOrder(root);
        root.gradFn().pending = gradient;
        try (NoGrad scope = NoGrad.enter()) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor tensor = order.get(k);
                Node node = tensor.gradFn();
                Tensor grad = node.pending;
                node.pending = null;
                if (grad == null) {
                    continue;
                }
                if (tensor.retainsGrad()) {
                    tensor.accumulateGrad(grad);
                }
                if (node.backward == null) {
                    throw new IllegalStateException("backward: the graph through '" + node.op
                            + "' was already released by an earlier backward();"
                            + " pass retainGraph = true to the first backward to go through it twice");
                }
                Tensor[] inputGrads = node.backward.apply(grad);
                if (!retainGraph) {
                    node.backward = null;
                }
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor input = node.inputs[i];
                    Tensor inputGrad = inputGrads[i];
                    if (input == null || inputGrad == null || !input.requiresGrad()) {
                        continue;
                    }
                    if (inputGrad.dtype != input.dtype) {
                        inputGrad = inputGrad.to(input.dtype); // a float32 input of a float64 op, say
                    }
                    if (!java.util.Arrays.equals(input.shape, inputGrad.shape)) {
                        throw new IllegalStateException("backward of '" + node.op + "': gradient of shape "
                                + Shape.format(inputGrad.shape) + " for input " + i + " of shape "
                                + Shape.format(input.shape));
                    }
                    Node inputNode = input.gradFn();
                    if (inputNode == null) {
                        input.accumulateGrad(inputGrad); // a leaf sums its gradients as they arrive
                    } else {
                        inputNode.pending = inputNode.pending == null ? inputGrad : inputNode.pending.add(inputGrad);
                    }
                }
            }
        } finally {
            for (Tensor tensor : order) {
                tensor.gradFn().pending = null; // after an error, no gradient stays behind on the graph
            }
        }
    }

    /**
     * The non-leaf tensors of the graph under {@code root} in postorder: each after every tensor it was
     * computed from, so walked backwards each comes after every tensor computed from it. Iterative
     * depth-first search, so that long chains (thousands of ops) do not overflow the stack.
     */
    private static ArrayList<Tensor> topologicalOrder(Tensor root) {
        int pass = PASSES.incrementAndGet();
        ArrayList<Tensor> postOrder = new ArrayList<>(32);
        ArrayList<Tensor> stack = new ArrayList<>(32);
        int[] next = new int[16];
        stack.add(root);
        root.gradFn().visited = pass;
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor tensor = stack.get(top);
            Tensor[] inputs = tensor.gradFn().inputs;
            if (next[top] < inputs.length) {
                Tensor input = inputs[next[top]++];
                Node node = input == null ? null : input.gradFn();
                if (node != null && node.visited != pass) {
                    node.visited = pass;
                    stack.add(input);
                    if (stack.size() > next.length) {
                        next = java.util.Arrays.copyOf(next, next.length * 2);
                    }
                    next[stack.size() - 1] = 0;
                }
            } else {
                stack.remove(top);
                postOrder.add(tensor);
            }
        }
        return postOrder;
    }
}

package dev.soma.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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

        Node(String op, Tensor[] inputs, Backward backward) {
            this.op = op;
            this.inputs = inputs;
            this.backward = backward;
        }
    }

    /**
     * Makes {@code output} a node of the graph when recording is on and any input requires a gradient;
     * returns {@code output}.
     */
    static Tensor record(String op, Tensor output, Backward backward, Tensor... inputs) {
        if (!NoGrad.isGradEnabled()) {
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

    /** Backpropagates {@code gradient} (∂L/∂root) through the graph that produced {@code root}. */
    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no graph"
                    + " (set requiresGrad on a leaf it depends on, outside a NoGrad scope)");
        }
        if (!java.util.Arrays.equals(root.shape(), gradient.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.format(gradient.shape())
                    + " does not match tensor shape " + Shape.format(root.shape()));
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, gradient);
        try (NoGrad scope = NoGrad.enter()) {
            for (Tensor tensor : order) {
                Tensor grad = grads.remove(tensor);
                if (grad == null) {
                    continue;
                }
                if (tensor.retainsGrad() || tensor.isLeaf()) {
                    tensor.accumulateGrad(grad);
                }
                Node node = tensor.gradFn();
                if (node == null) {
                    continue;
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
                    if (!java.util.Arrays.equals(input.shape(), inputGrad.shape())) {
                        throw new IllegalStateException("backward of '" + node.op + "': gradient of shape "
                                + Shape.format(inputGrad.shape()) + " for input " + i + " of shape "
                                + Shape.format(input.shape()));
                    }
                    grads.merge(input, inputGrad, Tensor::add);
                }
            }
        }
    }

    /**
     * The tensors of the graph under {@code root}, each after every tensor computed from it. Iterative
     * depth-first search, so that long chains (thousands of ops) do not overflow the stack.
     */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor tensor = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = tensor.gradFn();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor input = inputs[next];
                if (input != null && input.requiresGrad() && seen.put(input, Boolean.TRUE) == null) {
                    stack.push(new Object[] {input, 0});
                }
            } else {
                stack.pop();
                postOrder.add(tensor);
            }
        }
        return postOrder.reversed();
    }
}

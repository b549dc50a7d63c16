package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Map;

/**
 * Average pooling to a fixed output size, as PyTorch's {@code nn.AdaptiveAvgPool2d}: whatever the
 * input's H×W, the output is {@code output_size}, output row i averaging input rows
 * {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} (windows may overlap when H is not a multiple), likewise
 * columns. {@code output_size = 1} is global average pooling.
 *
 * <p>Shapes: {@code [N, C, H, W]} (or {@code [C, H, W]}) → {@code [N, C, outH, outW]}. Computed as two
 * matrix products, {@code P_H · x · P_Wᵀ}, with {@code P[i, r] = 1/|window i|} for r in window i: the
 * average over a rectangle is the average over its rows of the averages over its columns.
 */
public class AdaptiveAvgPool2d extends Module {

    /** {@code adaptive_avgpool2d(output_size)}: one integer for a square output, or two. */
    public record Spec(Pair outputSize) implements LayerSpec {
        public Spec {
            outputSize.positive("output_size");
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.pair("output_size", null));
        }

        @Override
        public String type() {
            return "adaptive_avgpool2d";
        }

        @Override
        public Map<String, Object> args() {
            return Map.of("output_size", outputSize.toArg());
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, -1, "channels");
            return new int[] {input[0], outputSize.h(), outputSize.w()};
        }

        @Override
        public AdaptiveAvgPool2d build(Generator generator) {
            return new AdaptiveAvgPool2d(outputSize);
        }
    }

    private final Pair outputSize;

    /** Pooling to {@code size × size}. */
    public AdaptiveAvgPool2d(int size) {
        this(Pair.of(size));
    }

    public AdaptiveAvgPool2d(Pair outputSize) {
        this.outputSize = new Spec(outputSize).outputSize();
    }

    @Override
    public Spec spec() {
        return new Spec(outputSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return adaptiveAvgPool2d(input, outputSize);
    }

    /** The pooling as a function (PyTorch's {@code F.adaptive_avg_pool2d}). Nothing is modified. */
    public static Tensor adaptiveAvgPool2d(Tensor input, Pair outputSize) {
        int rank = input.dim();
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: expected input [N, C, H, W] or [C, H, W], got "
                    + Shape.format(input.shape()));
        }
        Tensor rows = averaging(outputSize.h(), input.size(rank - 2));
        Tensor columns = averaging(outputSize.w(), input.size(rank - 1));
        return rows.matmul(input).matmul(columns.t());
    }

    /** {@code P [out, in]}: row i holds {@code 1/|w|} over window w of output i, 0 elsewhere. */
    private static Tensor averaging(int out, int in) {
        float[] p = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * in, out);
            int end = Math.ceilDiv((i + 1) * in, out);
            for (int r = start; r < end; r++) {
                p[i * in + r] = 1f / (end - start);
            }
        }
        return Tensor.of(p, out, in);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + (outputSize.square() ? String.valueOf(outputSize.h()) : outputSize.toString());
    }
}

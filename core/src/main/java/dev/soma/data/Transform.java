package dev.soma.data;

import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;

/**
 * A change applied to every batch as it is built, such as normalisation or augmentation (PyTorch's
 * {@code transforms}, applied per batch rather than per example). Attach one with
 * {@link Dataset#map(Transform)}. A transform that draws random numbers takes a {@link Generator};
 * the loader builds batches in order (also when prefetching), so the same seed gives the same batches.
 */
@FunctionalInterface
public interface Transform {

    /** The transformed batch; {@code batch} itself is not modified. */
    Batch apply(Batch batch);

    /** This transform, then {@code next}. */
    default Transform andThen(Transform next) {
        return batch -> next.apply(apply(batch));
    }

    /** {@code (x − mean[c]) / std[c]} for each channel c of inputs {@code [N, C, …]}. */
    static Transform normalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalize: mean and std need one value per channel, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalize: std must be > 0, got " + s);
            }
        }
        return batch -> {
            Tensor x = batch.inputs();
            if (x.dim() < 2 || x.size(1) != mean.length) {
                throw new IllegalArgumentException("normalize: inputs " + Shape.format(x.shape()) + " need "
                        + mean.length + " channels in dimension 1");
            }
            int[] channelShape = new int[x.dim()];
            java.util.Arrays.fill(channelShape, 1);
            channelShape[1] = mean.length;
            try (NoGrad scope = NoGrad.enter()) {
                Tensor m = Tensor.of(mean, channelShape);
                Tensor s = Tensor.of(std, channelShape);
                return new Batch(x.sub(m).div(s), batch.targets());
            }
        };
    }

    /** Mirrors each image {@code [N, C, H, W]} left to right with probability {@code p}. */
    static Transform randomHorizontalFlip(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("randomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        return batch -> {
            Tensor x = batch.inputs();
            if (x.dim() != 4) {
                throw new IllegalArgumentException("randomHorizontalFlip: inputs must be images [N, C, H, W], got "
                        + Shape.format(x.shape()));
            }
            float[] values = x.toArray();
            int n = x.size(0);
            int rows = x.size(1) * x.size(2);
            int width = x.size(3);
            for (int i = 0; i < n; i++) {
                if (generator.nextDouble() >= p) {
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    int start = (i * rows + r) * width;
                    for (int a = start, b = start + width - 1; a < b; a++, b--) {
                        float swap = values[a];
                        values[a] = values[b];
                        values[b] = swap;
                    }
                }
            }
            return new Batch(Tensor.of(values, x.shape()), batch.targets());
        };
    }
}

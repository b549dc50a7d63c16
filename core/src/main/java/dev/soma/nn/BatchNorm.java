package dev.soma.nn;

import dev.soma.tensor.DType;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalisation (Ioffe &amp; Szegedy, 2015), the part {@link BatchNorm1d} and {@link BatchNorm2d}
 * share, as PyTorch's {@code _BatchNorm}. Each channel c (dimension 1 of the input) is normalised over
 * every other dimension, then scaled and shifted:
 *
 * <pre>  y = (x − E[x]) / √(Var[x] + ε) · γ + β</pre>
 *
 * <p>In training, {@code E[x]} and {@code Var[x]} are the batch's mean and biased variance (dividing by
 * the count m of values per channel), and the running statistics are updated with momentum μ:
 * {@code running_mean ← (1 − μ)·running_mean + μ·E[x]}, {@code running_var ← (1 − μ)·running_var +
 * μ·Var[x]·m/(m − 1)} (the unbiased variance, as PyTorch), and {@code num_batches_tracked ← + 1}. In
 * evaluation the running statistics stand in for the batch's and nothing is updated.
 *
 * <p>Parameters γ ({@code weight}, ones) and β ({@code bias}, zeros), both {@code [C]}, unless
 * {@code affine} is false; buffers {@code running_mean} (zeros), {@code running_var} (ones) and
 * {@code num_batches_tracked} (a rank-0 int64 count, written to model files as I64), PyTorch's
 * state-dict names and types. Defaults ε = 1e-5, μ = 0.1. PyTorch's {@code momentum=None} (a cumulative average) and
 * {@code track_running_stats=False} are not offered.
 *
 * <p>Composed from tensor ops, so autograd gives the gradient through the batch statistics too.
 */
public abstract class BatchNorm extends Module {

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    protected BatchNorm(int numFeatures, float eps, float momentum, boolean affine) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be > 0, got "
                    + numFeatures);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0 and momentum in"
                    + " [0, 1], got eps " + eps + ", momentum " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.zeros(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
        resetParameters();
    }

    /** The fields of a batch normalisation's spec, in order (both kinds share them). */
    /** The state dict's size: weight and bias if affine, running_mean, running_var and num_batches_tracked. */
    static long stateElements(int numFeatures, boolean affine) {
        return (affine ? 4L : 2L) * numFeatures + 1;
    }

    static Map<String, Object> args(int numFeatures, float eps, float momentum, boolean affine) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("num_features", numFeatures);
        args.put("eps", eps);
        args.put("momentum", momentum);
        args.put("affine", affine);
        return args;
    }

    /** Makes a spec of either kind from its four fields. */
    interface SpecFactory<S extends LayerSpec> {
        S make(int numFeatures, float eps, float momentum, boolean affine);
    }

    /** A spec of either kind read from a model file, PyTorch's defaults for what is left out. */
    static <S extends LayerSpec> S read(LayerArgs args, SpecFactory<S> factory) {
        return factory.make(args.integer("num_features"), args.number("eps", 1e-5f), args.number("momentum", 0.1f),
                args.bool("affine", true));
    }

    /** Checks a spec's ε and momentum, as the constructor does, in the words of a model spec. */
    static void checkSettings(float eps, float momentum) {
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number > 0, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
    }

    /** ε, added to the variance before its square root. */
    public float eps() {
        return eps;
    }

    /** μ, the weight of a batch's statistics in the running ones. */
    public float momentum() {
        return momentum;
    }

    /** Running mean 0, running variance 1, no batches tracked. Modifies the buffers. */
    public void resetRunningStats() {
        Init.constant(runningMean, 0);
        Init.constant(runningVar, 1);
        Init.constant(numBatchesTracked, 0);
    }

    /** Resets the running statistics, γ to ones and β to zeros. Modifies the buffers and parameters. */
    public void resetParameters() {
        resetRunningStats();
        if (weight != null) {
            Init.constant(weight, 1);
            Init.constant(bias, 0);
        }
    }

    /** Rejects an input of the wrong rank or channel count, naming this layer. */
    protected abstract void checkInput(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        if (isTraining()) {
            try (NoGrad scope = NoGrad.enter()) {
                numBatchesTracked.set(numBatchesTracked.itemLong() + 1);
            }
        }
        return batchNorm(input, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }

    /**
     * Batch normalisation as a function (PyTorch's {@code F.batch_norm}) of an input {@code [N, C, *]}.
     * In training, the batch statistics normalise and {@code runningMean} and {@code runningVar}
     * ({@code [C]}, may be null) are updated in place (modified); in evaluation they normalise (required).
     * {@code weight} and {@code bias} ({@code [C]}) may be null. The input is not modified.
     *
     * @throws IllegalArgumentException in training, when a channel has a single value (its variance is 0/0)
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        int[] shape = input.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, *], got " + Shape.format(shape));
        }
        int channels = shape[1];
        int[] dims = new int[shape.length - 1]; // every dimension but the channel's
        int[] channelShape = new int[shape.length]; // [1, C, 1, …], to broadcast per-channel values
        Arrays.fill(channelShape, 1);
        channelShape[1] = channels;
        for (int d = 0, i = 0; d < shape.length; d++) {
            if (d != 1) {
                dims[i++] = d;
            }
        }
        Tensor normalized;
        if (training) {
            int count = channels == 0 ? 0 : input.numel() / channels;
            if (count <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when"
                        + " training, got input of shape " + Shape.format(shape));
            }
            Tensor mean = input.mean(dims, true);
            Tensor centered = input.sub(mean);
            Tensor variance = centered.mul(centered).mean(dims, true); // biased: divides by count
            try (NoGrad scope = NoGrad.enter()) {
                if (runningMean != null) {
                    runningMean.mulInPlace(1 - momentum).addInPlace(mean.detach().reshape(channels), momentum);
                }
                if (runningVar != null) {
                    Tensor unbiased = variance.detach().reshape(channels).mul((float) count / (count - 1));
                    runningVar.mulInPlace(1 - momentum).addInPlace(unbiased, momentum);
                }
            }
            normalized = centered.div(variance.add(eps).sqrt());
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: evaluation needs the running mean and variance");
            }
            normalized = input.sub(runningMean.view(channelShape))
                    .div(runningVar.add(eps).sqrt().view(channelShape));
        }
        if (weight != null) {
            normalized = normalized.mul(weight.view(channelShape));
        }
        return bias == null ? normalized : normalized.add(bias.view(channelShape));
    }

    public int numFeatures() {
        return numFeatures;
    }

    /** γ, or null without affine parameters. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without affine parameters. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean buffer (a view of it: modifying it modifies the layer). */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance buffer. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The number of training batches seen since the last reset. */
    public int numBatchesTracked() {
        return (int) numBatchesTracked.itemLong();
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pythonFloat(eps) + ", momentum=" + pythonFloat(momentum)
                + ", affine=" + (weight != null ? "True" : "False") + ", track_running_stats=True";
    }

    /** {@code value} as Python's {@code repr} prints it: {@code 0.1}, {@code 1.0}, {@code 1e-05}. */
    private static String pythonFloat(float value) {
        BigDecimal decimal = new BigDecimal(Float.toString(value)).stripTrailingZeros();
        int exponent = decimal.precision() - decimal.scale() - 1; // the power of ten of the leading digit
        if (value != 0 && (exponent < -4 || exponent >= 16)) {
            return decimal.movePointLeft(exponent).toPlainString() + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = decimal.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}

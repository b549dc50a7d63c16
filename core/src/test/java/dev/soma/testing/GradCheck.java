package dev.soma.testing;

import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks one Soma expression against an independent double-precision {@link Ref} statement of it:
 * the forward values, and every input's gradient against central finite differences.
 *
 * <p>The check draws seeded inputs, rounds them to float32 (so both sides see exactly the same
 * numbers), and compares Soma's forward output with the reference's. It then forms the scalar loss
 * {@code L = Σ out ⊙ R} with a fixed random {@code R}, so that every output element, and not just their
 * sum, reaches the gradient. Soma backpropagates {@code R}; each differentiable input's {@code grad()}
 * must match, element by element,
 *
 * <pre>  ∂L/∂xⱼ ≈ Σ (f(x + h·eⱼ) - f(x - h·eⱼ)) ⊙ R / 2h,   h = 1e-6 · max(1, |xⱼ|)</pre>
 *
 * evaluated with the double reference f, to within {@code 1e-3 · (1 + |numeric|)}. The outputs are
 * subtracted before they are weighted and summed, so that outputs which do not depend on xⱼ cancel
 * exactly and cannot drown its derivative in their rounding (think of e⁸⁰ beside e⁻⁸⁰).
 *
 * <p>Why that tolerance. The numeric side is accurate to about 1e-8: the central difference's
 * truncation error is {@code h²·|f'''|/6 ≈ 1e-12·|f'''|}, and rounding adds about
 * {@code 1e-16·|f| / h ≈ 1e-10·|f|} from the outputs that depend on xⱼ. The analytic side is float32
 * (ε ≈ 6e-8): a backward rule that chains tens of ops and sums a few hundred terms drifts by 1e-5
 * relative at worst. So 1e-3 leaves two orders of magnitude of headroom for honest float32 rounding,
 * while a wrong rule (a missing factor, a wrong sign, a gradient sent to the wrong element, a lost
 * branch) is off by O(1), or at least by whatever the rule leaves out, and fails: the self-test shows
 * a gradient missing a term of 0.01 failing. Forward values must agree to {@code 1e-4 · (1 + |ref|)}.
 *
 * <p>A check is a value: build it with {@link #of}, add inputs in the order the functions take them,
 * and {@link #run} it (parameterized tests stream checks; {@link #toString} names the case).
 */
public final class GradCheck {

    /** |soma - ref| allowed for forward values, times (1 + |ref|). */
    public static final double FORWARD_TOLERANCE = 1e-4;
    /** |analytic - numeric| allowed for gradients, times (1 + |numeric|). */
    public static final double GRADIENT_TOLERANCE = 1e-3;
    /** The finite-difference step, relative to max(1, |x|). */
    public static final double STEP = 1e-6;

    private static final int MAX_REPORTED = 8;

    private record Input(int[] shape, Values values, boolean differentiable) {
    }

    private final String name;
    private final Function<Tensor[], Tensor> soma;
    private final Function<Ref[], Ref> reference;
    private final List<Input> inputs = new ArrayList<>();
    private long seed;

    private GradCheck(String name, Function<Tensor[], Tensor> soma, Function<Ref[], Ref> reference) {
        this.name = name;
        this.soma = soma;
        this.reference = reference;
        this.seed = 0x5EED_0000L + name.hashCode();
    }

    /** A check of {@code soma} against {@code reference}; both receive the inputs in the order added. */
    public static GradCheck of(String name, Function<Tensor[], Tensor> soma, Function<Ref[], Ref> reference) {
        return new GradCheck(name, soma, reference);
    }

    /** A differentiable input of {@code shape}, uniform in [-2, 2). */
    public GradCheck input(int... shape) {
        return input(Values.uniform(-2, 2), shape);
    }

    /** A differentiable input of {@code shape} drawn from {@code values}. */
    public GradCheck input(Values values, int... shape) {
        inputs.add(new Input(shape.clone(), values, true));
        return this;
    }

    /** A non-differentiable input (an index tensor, a mask): passed to both sides, never perturbed. */
    public GradCheck constant(Values values, int... shape) {
        inputs.add(new Input(shape.clone(), values, false));
        return this;
    }

    /** Replaces the seed (by default derived from the name) of the inputs and of R. */
    public GradCheck seed(long newSeed) {
        this.seed = newSeed;
        return this;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name);
        for (Input input : inputs) {
            s.append(input.differentiable ? " " : " const").append(Arrays.toString(input.shape));
        }
        return s.toString();
    }

    /** Runs the check; throws {@link AssertionError} describing the first mismatches. */
    public void run() {
        SplittableRandom random = new SplittableRandom(seed);
        int count = inputs.size();
        float[][] values = new float[count][];
        Tensor[] tensors = new Tensor[count];
        Ref[] refs = new Ref[count];
        for (int i = 0; i < count; i++) {
            Input input = inputs.get(i);
            double[] drawn = input.values.draw(Ref.numel(input.shape), random);
            values[i] = new float[drawn.length];
            double[] exact = new double[drawn.length];
            for (int j = 0; j < drawn.length; j++) {
                values[i][j] = (float) drawn[j];
                exact[j] = values[i][j];
            }
            tensors[i] = Tensor.of(values[i], input.shape).requiresGrad(input.differentiable);
            refs[i] = new Ref(exact, input.shape.clone());
        }

        Tensor out = soma.apply(tensors);
        Ref expected = reference.apply(refs);
        checkForward(out, expected);

        float[] weights = new float[expected.numel()];
        double[] exactWeights = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = (float) random.nextDouble(-1, 1);
            exactWeights[j] = weights[j];
        }
        Ref r = new Ref(exactWeights, expected.shape().clone());
        if (inputs.stream().anyMatch(Input::differentiable)) {
            if (!out.requiresGrad()) {
                throw new AssertionError(this + ": the output does not require grad; no gradient can flow");
            }
            out.backward(Tensor.of(weights, expected.shape()));
        }

        for (int i = 0; i < count; i++) {
            if (!Arrays.equals(tensors[i].toArray(), values[i])) {
                throw new AssertionError(this + ": input " + i + " was modified by forward or backward");
            }
            if (inputs.get(i).differentiable) {
                checkGradient(i, tensors[i], refs, r);
            }
        }
    }

    private void checkForward(Tensor out, Ref expected) {
        if (!Arrays.equals(out.shape(), expected.shape())) {
            throw new AssertionError(this + ": forward shape " + Arrays.toString(out.shape())
                    + ", reference " + Arrays.toString(expected.shape()));
        }
        float[] actual = out.toArray();
        List<String> mismatches = new ArrayList<>();
        int failures = 0;
        for (int j = 0; j < actual.length; j++) {
            double want = expected.data()[j];
            if (!Double.isFinite(want)) {
                throw new AssertionError(this + ": reference output " + want + " at " + position(expected.shape(), j)
                        + "; draw inputs inside the op's domain");
            }
            double allowed = FORWARD_TOLERANCE * (1 + Math.abs(want));
            if (!(Math.abs(actual[j] - want) <= allowed)) {
                failures++;
                if (mismatches.size() < MAX_REPORTED) {
                    mismatches.add("  output " + position(expected.shape(), j) + ": soma " + actual[j]
                            + ", reference " + want);
                }
            }
        }
        if (failures > 0) {
            throw new AssertionError(this + ": forward differs from the reference at " + failures + " of "
                    + actual.length + " elements (tolerance " + FORWARD_TOLERANCE + "·(1+|ref|))\n"
                    + String.join("\n", mismatches));
        }
    }

    private void checkGradient(int i, Tensor input, Ref[] refs, Ref r) {
        Tensor grad = input.grad();
        int[] shape = inputs.get(i).shape;
        if (grad == null) {
            throw new AssertionError(this + ": input " + i + " " + Arrays.toString(shape) + " has no grad after backward");
        }
        if (!Arrays.equals(grad.shape(), shape)) {
            throw new AssertionError(this + ": input " + i + " " + Arrays.toString(shape) + " has a grad of shape "
                    + Arrays.toString(grad.shape()));
        }
        float[] analytic = grad.toArray();
        double[] x = refs[i].data();
        List<String> mismatches = new ArrayList<>();
        int failures = 0;
        for (int j = 0; j < x.length; j++) {
            double original = x[j];
            double h = STEP * Math.max(1, Math.abs(original));
            x[j] = original + h;
            double[] plus = reference.apply(refs).data().clone(); // copies: an output may alias x itself
            x[j] = original - h;
            double[] minus = reference.apply(refs).data().clone();
            x[j] = original;
            double difference = 0;
            for (int o = 0; o < plus.length; o++) {
                difference += (plus[o] - minus[o]) * r.data()[o];
            }
            double numeric = difference / (2 * h);
            double allowed = GRADIENT_TOLERANCE * (1 + Math.abs(numeric));
            if (!(Math.abs(analytic[j] - numeric) <= allowed)) {
                failures++;
                if (mismatches.size() < MAX_REPORTED) {
                    mismatches.add("  input " + i + " element " + position(shape, j) + " (x = " + original
                            + "): analytic " + analytic[j] + ", numeric " + numeric);
                }
            }
        }
        if (failures > 0) {
            throw new AssertionError(this + ": gradient of input " + i + " " + Arrays.toString(shape) + " differs at "
                    + failures + " of " + x.length + " elements (tolerance " + GRADIENT_TOLERANCE
                    + "·(1+|numeric|))\n" + String.join("\n", mismatches));
        }
    }

    private static String position(int[] shape, int flat) {
        return Arrays.toString(Ref.unravel(shape, flat));
    }
}

package dev.soma.io;

import dev.soma.data.Background;
import dev.soma.data.PointFeature;
import dev.soma.nn.ModelSpec;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a model's inputs were made from in training, recorded in its file under {@value #KEY} so that
 * {@code soma predict} and {@code soma eval} make new inputs the same way ({@link PreprocessingJson}
 * writes it; docs/MODEL-FILES.md describes the fields).
 *
 * <ul>
 *   <li>{@link Kind#IMAGES}: pictures resized to {@code channels × height × width}, each value
 *       {@code (pixel / divisor − mean[c]) / std[c]}, as torchvision's {@code ToTensor} and
 *       {@code Normalize}; {@code background} is the training pictures' {@link Background}.
 *   <li>{@link Kind#POINTS}: 2-D points (x₁, x₂) turned into the {@code features} (x₁, x₂, x₁², …).
 *   <li>{@link Kind#VECTOR}: inputs taken as given (a file that records nothing else).
 * </ul>
 *
 * @param kind what the inputs are
 * @param source the data trained on ({@code fashion-mnist}, a folder, a toy set), or null
 * @param channels images: 1 (grayscale) or 3 (RGB); 0 otherwise
 * @param height images: rows; 0 otherwise
 * @param width images: columns; 0 otherwise
 * @param divisor images: what a pixel is divided by first (255); 0 otherwise
 * @param mean images: per channel, subtracted after dividing; empty otherwise
 * @param std images: per channel, divided by last; empty otherwise
 * @param background images: the training pictures' background; null otherwise
 * @param features points: the inputs computed from (x₁, x₂), in order; empty otherwise
 */
public record Preprocessing(Kind kind, String source, int channels, int height, int width, double divisor,
        List<Double> mean, List<Double> std, Background background, List<PointFeature> features) {

    /** The metadata key of the preprocessing in a model file. */
    public static final String KEY = "soma.input";

    /** What a model's inputs are. */
    public enum Kind { IMAGES, POINTS, VECTOR }

    public Preprocessing {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        features = List.copyOf(features);
        if (kind == Kind.IMAGES) {
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            }
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("height and width must be ≥ 1, got " + height + " × " + width);
            }
            if (!(divisor > 0 && Double.isFinite(divisor))) {
                throw new IllegalArgumentException("divisor must be a positive number, got " + divisor);
            }
            if (mean.size() != channels || std.size() != channels) {
                throw new IllegalArgumentException("mean and std need one value per channel (" + channels + "), got "
                        + mean.size() + " and " + std.size());
            }
            for (int c = 0; c < channels; c++) {
                if (!Double.isFinite(mean.get(c)) || !(std.get(c) > 0 && Double.isFinite(std.get(c)))) {
                    throw new IllegalArgumentException("channel " + c + ": mean must be finite and std positive, got "
                            + mean.get(c) + " and " + std.get(c));
                }
            }
            if (background == null) {
                throw new IllegalArgumentException("images need a background (dark, light or mixed)");
            }
        }
        if (kind == Kind.POINTS && features.isEmpty()) {
            throw new IllegalArgumentException("points need at least one feature");
        }
    }

    /** Pictures as {@code soma train} makes them: {@code pixel / 255}, no normalisation. */
    public static Preprocessing images(String source, int channels, int height, int width, Background background) {
        return new Preprocessing(Kind.IMAGES, source, channels, height, width, 255,
                Collections.nCopies(channels, 0.0), Collections.nCopies(channels, 1.0), background, List.of());
    }

    /** Points (x₁, x₂) turned into {@code features}. */
    public static Preprocessing points(String source, List<PointFeature> features) {
        return new Preprocessing(Kind.POINTS, source, 0, 0, 0, 0, List.of(), List.of(), null, features);
    }

    /**
     * What a file without {@value #KEY} (written before it existed) is read as: pictures
     * {@code pixel / 255} of the spec's input shape with a background taken as mixed (never
     * inverted); points x₁, x₂ (or the playground's recorded features) for 2 inputs; else inputs as
     * given. The source is the file's {@code soma.data}, if any.
     */
    public static Preprocessing defaults(ModelSpec spec, Map<String, String> metadata) {
        int[] input = spec.input();
        String source = metadata.get("soma.data");
        if (input.length == 3 && (input[0] == 1 || input[0] == 3)) {
            return images(source, input[0], input[1], input[2], Background.MIXED);
        }
        if (input.length == 1) {
            String playground = metadata.get("soma.playground.features");
            if (playground != null) {
                try {
                    List<PointFeature> features = new ArrayList<>();
                    for (String id : playground.split(",")) {
                        features.add(PointFeature.of(id.trim()));
                    }
                    if (features.size() == input[0]) {
                        return points(metadata.get("soma.playground.dataset"), features);
                    }
                } catch (IllegalArgumentException e) {
                    // not features this version knows: the inputs are taken as given
                }
            } else if (input[0] == 2) {
                return points(source, List.of(PointFeature.X1, PointFeature.X2));
            }
        }
        return new Preprocessing(Kind.VECTOR, source, 0, 0, 0, 0, List.of(), List.of(), null, List.of());
    }

    /**
     * Checks that this preprocessing makes inputs of the shape {@code spec} takes.
     *
     * @throws IllegalArgumentException naming both shapes when they differ
     */
    public void checkFits(ModelSpec spec) {
        int[] input = spec.input();
        switch (kind) {
            case IMAGES -> {
                if (input.length != 3 || input[0] != channels || input[1] != height || input[2] != width) {
                    throw new IllegalArgumentException("images of " + channels + " × " + height + " × " + width
                            + " do not fit the model's input " + dev.soma.tensor.Shape.format(input));
                }
            }
            case POINTS -> {
                if (input.length != 1 || input[0] != features.size()) {
                    throw new IllegalArgumentException(features.size() + " features do not fit the model's input "
                            + dev.soma.tensor.Shape.format(input));
                }
            }
            case VECTOR -> {
            }
        }
    }

    /** Whether images are normalised beyond {@code pixel / divisor} (some mean ≠ 0 or std ≠ 1). */
    public boolean normalizes() {
        return mean.stream().anyMatch(m -> m != 0) || std.stream().anyMatch(s -> s != 1);
    }

    /** The means as floats, one per channel. */
    public float[] meanValues() {
        return floats(mean);
    }

    /** The standard deviations as floats, one per channel. */
    public float[] stdValues() {
        return floats(std);
    }

    /**
     * One picture's unsigned bytes {@code [C, H, W]} (not modified) as the model's input
     * {@code [C, H, W]}: {@code (pixel / divisor − mean[c]) / std[c]}, computed in float as
     * {@code ImageDataset} does in training.
     */
    public Tensor image(byte[] pixels) {
        if (kind != Kind.IMAGES || pixels.length != channels * height * width) {
            throw new IllegalArgumentException("image: expected " + channels * height * width + " bytes of a "
                    + kind + " input, got " + pixels.length);
        }
        int plane = height * width;
        float[] values = new float[pixels.length];
        float scale = (float) divisor;
        for (int c = 0; c < channels; c++) {
            float shift = mean.get(c).floatValue();
            float spread = std.get(c).floatValue();
            for (int p = c * plane; p < (c + 1) * plane; p++) {
                values[p] = (Byte.toUnsignedInt(pixels[p]) / scale - shift) / spread;
            }
        }
        return Tensor.of(values, channels, height, width);
    }

    /** Points {@code [n][2]} as the model's inputs {@code [n, features]}. */
    public Tensor points(float[][] xy) {
        if (kind != Kind.POINTS) {
            throw new IllegalArgumentException("points: the model takes " + kind + " inputs, not points");
        }
        float[] values = new float[xy.length * features.size()];
        for (int i = 0; i < xy.length; i++) {
            float[] row = PointFeature.row(features, xy[i][0], xy[i][1]);
            System.arraycopy(row, 0, values, i * row.length, row.length);
        }
        return Tensor.of(values, xy.length, features.size());
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }
}

package dev.soma.data;

import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled images kept compact: pixels as unsigned bytes {@code [N, C, H, W]} (one byte per channel
 * value, 0..255), labels as class indices into {@code classNames}. A batch turns them into what a
 * network takes, as torchvision's {@code ToTensor} (and, if set, {@code Normalize}) do:
 *
 * <pre>
 * inputs  [n, C, H, W]  x = pixel / 255, in [0, 1]; normalised: (pixel / 255 - mean[c]) / std[c]
 * targets [n]           the class index of each image, as a float (what CrossEntropyLoss takes)
 * </pre>
 */
public final class ImageDataset implements Dataset {

    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final float[] mean;
    private final float[] std;
    /**
     * {@code levels[c][v]}: the input value of byte v in channel c, {@code (v / 255 - mean[c]) / std[c]},
     * computed once with the same float operations a batch used to do per pixel, so batches hold the
     * same bits; a batch looks each pixel up instead of dividing twice.
     */
    private final float[][] levels;

    /**
     * The images in {@code pixels} ({@code [N, C, H, W]} row-major, kept, not copied) with their
     * {@code labels} (each in {@code 0..classNames.size()-1}; copied).
     */
    public ImageDataset(byte[] pixels, int channels, int height, int width, int[] labels, List<String> classNames) {
        this(pixels, channels, height, width, labels.clone(), List.copyOf(classNames), null, null);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("ImageDataset: channels, height and width must be > 0, got "
                    + channels + ", " + height + ", " + width);
        }
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("ImageDataset: " + labels.length + " images of " + channels + " × "
                    + height + " × " + width + " need " + (long) labels.length * channels * height * width
                    + " bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("ImageDataset: label " + labels[i] + " of image " + i
                        + " is outside 0.." + (classNames.size() - 1) + " (" + classNames.size() + " classes)");
            }
        }
    }

    private ImageDataset(byte[] pixels, int channels, int height, int width, int[] labels, List<String> classNames,
            float[] mean, float[] std) {
        this.pixels = pixels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.labels = labels;
        this.classNames = classNames;
        this.mean = mean;
        this.std = std;
        this.levels = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            float shift = mean == null ? 0 : mean[c];
            float scale = std == null ? 1 : std[c];
            for (int v = 0; v < 256; v++) {
                levels[c][v] = (v / 255f - shift) / scale;
            }
        }
    }

    /**
     * The same images (shared, not copied) whose batches are normalised per channel:
     * {@code (pixel / 255 - mean[c]) / std[c]}, as torchvision's {@code Normalize}. Fashion-MNIST's
     * usual values are mean 0.2860, std 0.3530; MNIST's 0.1307 and 0.3081.
     */
    public ImageDataset normalized(float[] mean, float[] std) {
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("normalized: need one mean and one std per channel (" + channels
                    + "), got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalized: std must be > 0, got " + Arrays.toString(std));
            }
        }
        return new ImageDataset(pixels, channels, height, width, labels, classNames, mean.clone(), std.clone());
    }

    @Override
    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The class names, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The class index of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** The pixels of image {@code i}, {@code [C, H, W]} as unsigned bytes (a copy). */
    public byte[] image(int i) {
        int length = channels * height * width;
        return Arrays.copyOfRange(pixels, i * length, (i + 1) * length);
    }

    /** How many images each class holds, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public Batch batch(int[] indices) {
        int plane = height * width;
        int length = channels * plane;
        // Written straight into the tensor's storage: a batch of Fashion-MNIST is 200 KB, copied once
        // per step by Tensor.of before.
        Tensor inputTensor = Tensor.zeros(indices.length, channels, height, width);
        float[] inputs = inputTensor.denseStorage();
        long[] targets = new long[indices.length];
        for (int n = 0; n < indices.length; n++) {
            int i = indices[n];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("ImageDataset: index " + i + " out of range for " + labels.length
                        + " images");
            }
            targets[n] = labels[i];
            for (int c = 0; c < channels; c++) {
                float[] level = levels[c];
                int from = i * length + c * plane;
                int to = n * length + c * plane;
                for (int p = 0; p < plane; p++) {
                    inputs[to + p] = level[Byte.toUnsignedInt(pixels[from + p])];
                }
            }
        }
        return new Batch(inputTensor, Tensor.ofLongs(targets, indices.length));
    }

    @Override
    public String toString() {
        return "ImageDataset(" + size() + " × " + channels + " × " + height + " × " + width + ", "
                + classNames.size() + " classes)";
    }
}

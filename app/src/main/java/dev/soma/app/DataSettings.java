package dev.soma.app;

import dev.soma.data.Background;
import dev.soma.data.Dataset;
import dev.soma.data.ImageDataset;
import dev.soma.data.ImageFolder;
import dev.soma.data.Mnist;
import dev.soma.data.PointFeature;
import dev.soma.data.Subset;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToySets;
import dev.soma.io.Preprocessing;
import dev.soma.tensor.Generator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Option;

/**
 * The data options that {@code soma train} and {@code soma eval} share, all but {@code --data}
 * itself, which train requires ({@link DataOptions}) and eval may read from the model file
 * ({@link EvalDataOptions}).
 */
abstract class DataSettings {

    static final List<String> IDX_SETS = List.of("fashion-mnist", "mnist");

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "For fashion-mnist and mnist: the folder holding their four IDX files.")
    Path dataDir;

    @Option(names = "--image-size", paramLabel = "PIXELS", defaultValue = "28",
            description = "Image folders: resize every image to PIXELS × PIXELS (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", paramLabel = "1|3", defaultValue = "1",
            description = "Image folders: 1 for grayscale, 3 for RGB (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Toy sets: examples in the training set (the test set has half as many; default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--noise", paramLabel = "X", defaultValue = "0.1",
            description = "Toy sets: the noise of the points (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Image folders without train/ and test/ subfolders: the share held out for testing"
                    + " (default: ${DEFAULT-VALUE}).")
    double testFraction;

    /** A training set (null when not {@link #needsTrainingSet}), a test set, the shape of one input, the class names. */
    record Loaded(String name, Dataset train, Dataset test, int[] inputShape, List<String> classNames,
            ImageDataset pictures) {

        /**
         * What training made its inputs from, for the model file: pictures {@code pixel / 255} with
         * the background of {@code pictures} (the training set, or the whole folder it was split
         * from), or the points of a toy set as (x₁, x₂).
         */
        Preprocessing preprocessing() {
            if (pictures == null) {
                return Preprocessing.points(name, List.of(PointFeature.X1, PointFeature.X2));
            }
            return Preprocessing.images(name, inputShape[0], inputShape[1], inputShape[2], Background.of(pictures));
        }
    }

    /** What {@code --data} names, or null if it was not given. */
    abstract String data();

    /**
     * Whether the training set is needed: eval reads only the test set of fashion-mnist, mnist and
     * folders with {@code train/} and {@code test/} (whose classes may then be fewer than the model's).
     */
    boolean needsTrainingSet() {
        return true;
    }

    /** What {@code task} returned, or what it threw, as it threw it. */
    private static ImageDataset result(FutureTask<ImageDataset> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while loading the test split");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** Loads the data the options name; the same seed gives the same toy sets and splits. */
    Loaded load(long seed) throws IOException {
        String data = data();
        if (dataDir != null && !IDX_SETS.contains(data)) {
            throw new IllegalArgumentException("--data-dir goes with --data fashion-mnist or mnist, not '" + data + "'");
        }
        if (IDX_SETS.contains(data)) {
            Path folder = dataDir != null ? dataDir : Mnist.locate(data);
            // The test split decompresses on a thread of its own while the training split does here.
            FutureTask<ImageDataset> testSplit = new FutureTask<>(() -> Mnist.load(data, folder, Mnist.Split.TEST));
            Thread.ofPlatform().daemon().name("soma-load-test-split").start(testSplit);
            ImageDataset train = needsTrainingSet() ? Mnist.load(data, folder, Mnist.Split.TRAIN) : null;
            ImageDataset test = result(testSplit);
            return new Loaded(data, train, test, shape(test), test.classNames(), train);
        }
        if (ToySets.NAMES.contains(data)) {
            if (samples < 2) {
                throw new IllegalArgumentException("--samples must be ≥ 2, got " + samples);
            }
            TensorDataset train = ToySets.of(data, samples, noise, new Generator(seed));
            TensorDataset test = ToySets.of(data, Math.max(samples / 2, 1), noise, new Generator(seed + 1));
            return new Loaded(data, train, test, new int[] {2}, List.of("0", "1"), null);
        }
        Path folder = Path.of(data);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--data: '" + data + "' is neither a dataset (fashion-mnist, mnist, "
                    + String.join(", ", ToySets.NAMES) + ") nor a folder of images");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("--channels must be 1 (grayscale) or 3 (RGB), got " + channels);
        }
        if (imageSize < 1 || imageSize > 4096) {
            throw new IllegalArgumentException("--image-size must be between 1 and 4096, got " + imageSize);
        }
        Path trainFolder = folder.resolve("train");
        Path testFolder = folder.resolve("test");
        if (Files.isDirectory(trainFolder) && Files.isDirectory(testFolder)) {
            ImageDataset test = ImageFolder.load(testFolder, channels, imageSize, imageSize);
            if (!needsTrainingSet()) {
                return new Loaded(folder.toString(), null, test, shape(test), test.classNames(), null);
            }
            ImageDataset train = ImageFolder.load(trainFolder, channels, imageSize, imageSize);
            if (!train.classNames().equals(test.classNames())) {
                throw new IllegalArgumentException(trainFolder + " has classes " + train.classNames() + " but "
                        + testFolder + " has " + test.classNames());
            }
            return new Loaded(folder.toString(), train, test, shape(train), train.classNames(), train);
        }
        ImageDataset all = ImageFolder.load(folder, channels, imageSize, imageSize);
        Subset[] parts = Subset.split(all, testFraction, new Generator(seed));
        return new Loaded(folder.toString(), parts[0], parts[1], shape(all), new ArrayList<>(all.classNames()), all);
    }

    private static int[] shape(ImageDataset images) {
        return new int[] {images.channels(), images.height(), images.width()};
    }
}

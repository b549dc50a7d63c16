package dev.soma.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * MNIST (handwritten digits, <a href="http://yann.lecun.com/exdb/mnist/">LeCun et al.</a>) and
 * Fashion-MNIST (Zalando's clothing photos, Xiao et al. 2017), loaded from the four IDX files each
 * ships as, raw or gzipped ({@code .gz}):
 *
 * <pre>
 * train-images-idx3-ubyte   u8 [60000, 28, 28]   pixels, 0 = background
 * train-labels-idx1-ubyte   u8 [60000]           class indices 0..9
 * t10k-images-idx3-ubyte    u8 [10000, 28, 28]
 * t10k-labels-idx1-ubyte    u8 [10000]
 * </pre>
 *
 * The result is an {@link ImageDataset} of 1 × 28 × 28 grayscale images.
 */
public final class Mnist {

    /** The two halves of each dataset, by the prefix of their file names. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** The file name prefix: {@code train} or {@code t10k}. */
        public String prefix() {
            return prefix;
        }
    }

    /** MNIST's classes: the digits "0" to "9". */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** Fashion-MNIST's classes, by label. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private static final Map<String, List<String>> CLASSES = Map.of("mnist", DIGITS, "fashion-mnist", FASHION_CLASSES);

    private Mnist() {
    }

    /** The MNIST split in {@code folder}. */
    public static ImageDataset mnist(Path folder, Split split) throws IOException {
        return load(folder, split, DIGITS);
    }

    /** The Fashion-MNIST split in {@code folder}. */
    public static ImageDataset fashionMnist(Path folder, Split split) throws IOException {
        return load(folder, split, FASHION_CLASSES);
    }

    /**
     * The split of {@code name} ("mnist" or "fashion-mnist") from {@code folder}, or, if it is null,
     * from where {@link #locate(String)} finds it.
     */
    public static ImageDataset load(String name, Path folder, Split split) throws IOException {
        List<String> classes = classNames(name);
        return load(folder != null ? folder : locate(name), split, classes);
    }

    /** The class names of {@code name}: "mnist" or "fashion-mnist". */
    public static List<String> classNames(String name) {
        List<String> classes = CLASSES.get(name);
        if (classes == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "' (expected mnist or fashion-mnist)");
        }
        return classes;
    }

    /**
     * A split of a dataset in the MNIST layout: images {@code u8 [N, H, W]} (or {@code [N, C, H, W]})
     * and labels {@code u8 [N]} below {@code classNames.size()}, the counts equal.
     */
    public static ImageDataset load(Path folder, Split split, List<String> classNames) throws IOException {
        Path imageFile = file(folder, split.prefix() + "-images-idx3-ubyte");
        Path labelFile = file(folder, split.prefix() + "-labels-idx1-ubyte");
        IdxArray images = IdxReader.read(imageFile);
        IdxArray labels = IdxReader.read(labelFile);
        int[] shape = images.shape();
        if (images.type() != IdxType.U8 || (shape.length != 3 && shape.length != 4)) {
            throw new DataFileException(imageFile, 2, isGzip(imageFile), "expected u8 images [N, H, W] or [N, C, H, W], got "
                    + images.type() + " " + Arrays.toString(shape));
        }
        for (int d = 1; d < shape.length; d++) {
            if (shape[d] == 0) {
                throw new DataFileException(imageFile, 4 + 4L * d, isGzip(imageFile), "images of size "
                        + Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)) + " hold no pixels: the "
                        + (shape.length == 4 ? "channels, " : "") + "height and width must be at least 1");
            }
        }
        if (labels.type() != IdxType.U8 || labels.shape().length != 1) {
            throw new DataFileException(labelFile, 2, isGzip(labelFile), "expected u8 labels [N], got " + labels.type() + " "
                    + Arrays.toString(labels.shape()));
        }
        if (labels.length() != shape[0]) {
            throw new DataFileException(labelFile, 4, isGzip(labelFile), "holds " + labels.length() + " labels but "
                    + imageFile.getFileName() + " holds " + shape[0] + " images");
        }
        byte[] bytes = labels.bytes();
        int[] classes = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            classes[i] = Byte.toUnsignedInt(bytes[i]);
            if (classes[i] >= classNames.size()) {
                throw new DataFileException(labelFile, 8 + i, isGzip(labelFile), "label " + classes[i] + " of example "
                        + i + " is not a class index 0.." + (classNames.size() - 1));
            }
        }
        int channels = shape.length == 4 ? shape[1] : 1;
        return new ImageDataset(images.bytes(), channels, shape[shape.length - 2], shape[shape.length - 1], classes,
                classNames);
    }

    /**
     * The folder holding {@code name}'s four files: for "fashion-mnist", {@code $SOMA_FASHION_MNIST_DIR}
     * if set, else {@code /usr/share/datasets/fashion-mnist} (where Debian's package puts them), else
     * where {@code dpkg -L dataset-fashion-mnist} lists them; for "mnist", {@code $SOMA_MNIST_DIR}.
     *
     * @throws FileNotFoundException saying how to install the files or where to pass them
     */
    public static Path locate(String name) throws FileNotFoundException {
        return locate(name, System::getenv, Mnist::dpkgFolder, DEBIAN_FASHION_MNIST);
    }

    /** {@link #locate(String)} with its environment, dpkg and usual folder given (for tests). */
    static Path locate(String name, Function<String, String> environment, Function<String, Path> dpkg, Path fallback)
            throws FileNotFoundException {
        classNames(name);
        boolean fashion = name.equals("fashion-mnist");
        String variable = fashion ? "SOMA_FASHION_MNIST_DIR" : "SOMA_MNIST_DIR";
        String fromEnvironment = environment.apply(variable);
        String files = "holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                + " t10k-labels-idx1-ubyte (each may end in .gz)";
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            Path folder = Path.of(fromEnvironment);
            if (!holdsDataset(folder)) {
                throw new FileNotFoundException(variable + "=" + fromEnvironment + " is not a folder " + files);
            }
            return folder;
        }
        if (fashion) {
            if (fallback != null && holdsDataset(fallback)) {
                return fallback;                                // where the package puts it: no dpkg process to start
            }
            Path packaged = dpkg.apply("dataset-fashion-mnist");
            if (packaged != null && holdsDataset(packaged)) {
                return packaged;
            }
            throw new FileNotFoundException("Fashion-MNIST not found: install it with `sudo apt-get install"
                    + " dataset-fashion-mnist`, or pass a folder with `--data-dir DIR` " + files);
        }
        throw new FileNotFoundException("MNIST not found (Debian has no package for it): pass a folder with"
                + " `--data-dir DIR` " + files + ", or set SOMA_MNIST_DIR");
    }

    /** Whether {@code folder} holds the four files. */
    static boolean holdsDataset(Path folder) {
        for (Split split : Split.values()) {
            for (String kind : new String[] {"-images-idx3-ubyte", "-labels-idx1-ubyte"}) {
                Path raw = folder.resolve(split.prefix() + kind);
                if (!Files.isRegularFile(raw) && !Files.isRegularFile(folder.resolve(raw.getFileName() + ".gz"))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code folder/name} if it exists, else {@code folder/name.gz}. */
    private static Path file(Path folder, String name) throws FileNotFoundException {
        Path raw = folder.resolve(name);
        Path zipped = folder.resolve(name + ".gz");
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        if (Files.isRegularFile(zipped)) {
            return zipped;
        }
        throw new FileNotFoundException(folder + ": neither " + name + " nor " + name + ".gz is there");
    }

    private static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        } catch (IOException e) {
            return false;
        }
    }

    /** The folder of the file {@code dpkg -L package} lists as train-images, or null without dpkg or the package. */
    static Path dpkgFolder(String packageName) {
        try {
            Process dpkg = new ProcessBuilder("dpkg", "-L", packageName).redirectErrorStream(true).start();
            String listing;
            try (InputStream out = dpkg.getInputStream()) {
                listing = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (dpkg.waitFor() != 0) {
                return null;
            }
            for (String line : listing.split("\n")) {
                Path path = Path.of(line.strip());
                Path fileName = path.getFileName();
                if (fileName != null && fileName.toString().toLowerCase(Locale.ROOT).startsWith("train-images")) {
                    return path.getParent();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // no dpkg on this system
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

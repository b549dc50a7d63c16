package dev.soma.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images sorted into one folder per class, as torchvision's {@code ImageFolder}:
 *
 * <pre>
 * root/cat/001.png      class 0, "cat"
 * root/cat/more/002.jpg class 0 (subfolders of a class folder belong to it)
 * root/dog/003.gif      class 1, "dog"
 * </pre>
 *
 * Class folders are sorted by name, so labels follow alphabetical order; files are taken in sorted
 * path order. Hidden files and folders (names starting with '.') and files without an image suffix
 * ({@code .png .jpg .jpeg .gif .bmp}, any case) are skipped. Each image is decoded, resized and
 * converted by {@link Images}, and kept as bytes in an {@link ImageDataset}.
 */
public final class ImageFolder {

    /** The file suffixes read, lower case. */
    public static final Set<String> SUFFIXES = Set.of("png", "jpg", "jpeg", "gif", "bmp");

    private ImageFolder() {
    }

    /** The images under {@code root} as {@code [C, H, W]} bytes, resized as {@link Images.Resize#forSizes} chooses. */
    public static ImageDataset load(Path root, int channels, int height, int width) throws IOException {
        return load(root, channels, height, width, null);
    }

    /**
     * The images under {@code root}, each resized to {@code height × width} with {@code resize} (null:
     * chosen per image) and converted to {@code channels} (1 grayscale, 3 RGB).
     *
     * @throws DataFileException if there are no class folders, a class folder holds no image, or a
     *     file cannot be decoded
     */
    public static ImageDataset load(Path root, int channels, int height, int width, Images.Resize resize)
            throws IOException {
        if (!Files.isDirectory(root)) {
            throw new FileNotFoundException(root + ": not a folder");
        }
        List<Path> classFolders = classFolders(root);
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path folder : classFolders) {
            List<Path> images = imageFiles(folder);
            if (images.isEmpty()) {
                throw new DataFileException(folder, "class folder '" + folder.getFileName() + "' holds no images ("
                        + "." + String.join(", .", SUFFIXES.stream().sorted().toList()) + ")", null);
            }
            for (Path image : images) {
                files.add(image);
                labels.add(classNames.size());
            }
            classNames.add(folder.getFileName().toString());
        }
        long length = (long) channels * height * width;
        if (length * files.size() > IdxReader.MAX_ELEMENTS) {
            throw new IllegalArgumentException("ImageFolder: " + files.size() + " images of " + channels + " × " + height
                    + " × " + width + " bytes do not fit in one array");
        }
        byte[] pixels = new byte[(int) (length * files.size())];
        for (int i = 0; i < files.size(); i++) {
            byte[] image = Images.read(files.get(i), channels, height, width, resize);
            System.arraycopy(image, 0, pixels, (int) (i * length), image.length);
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageDataset(pixels, channels, height, width, labelArray, classNames);
    }

    /** The visible subfolders of {@code root}, sorted by name. */
    private static List<Path> classFolders(Path root) throws IOException {
        List<Path> folders;
        try (Stream<Path> children = Files.list(root)) {
            folders = children.filter(p -> Files.isDirectory(p) && !hidden(p)).sorted().toList();
        }
        if (folders.isEmpty()) {
            throw new DataFileException(root, "no class folders (expected one subfolder of images per class)", null);
        }
        return folders;
    }

    /** The image files under {@code folder}, at any depth, skipping hidden files and folders; sorted. */
    private static List<Path> imageFiles(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !hiddenBelow(folder, p) && SUFFIXES.contains(suffix(p)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    /** Whether any name on the way from {@code folder} down to {@code path} is hidden. */
    private static boolean hiddenBelow(Path folder, Path path) {
        for (Path part : folder.relativize(path)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String suffix(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

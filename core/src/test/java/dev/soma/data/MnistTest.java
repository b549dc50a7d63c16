package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.testing.Installed;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MNIST loaders on tiny files written here, the dataset finder, and the real Fashion-MNIST test split. */
class MnistTest {

    @TempDir
    Path folder;

    /** Image i of n: pixel (y, x) = (i * 31 + y * 28 + x) mod 256; label i mod 10. */
    private static byte[] pixels(int n) {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 28 * 28; p++) {
                pixels[i * 784 + p] = (byte) (i * 31 + p);
            }
        }
        return pixels;
    }

    private void writeSplit(String prefix, int images, byte[] labels, boolean gzip) throws IOException {
        String suffix = gzip ? ".gz" : "";
        IdxWriter.write(folder.resolve(prefix + "-images-idx3-ubyte" + suffix),
                IdxArray.ofBytes(pixels(images), images, 28, 28));
        IdxWriter.write(folder.resolve(prefix + "-labels-idx1-ubyte" + suffix), IdxArray.ofBytes(labels, labels.length));
    }

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void loadsFiveTinyImages(boolean gzip) throws IOException {
        writeSplit("t10k", 5, new byte[] {7, 2, 1, 0, 9}, gzip);
        ImageDataset data = Mnist.mnist(folder, Mnist.Split.TEST);
        assertEquals(5, data.size());
        assertEquals(1, data.channels());
        assertEquals(28, data.height());
        assertEquals(28, data.width());
        assertEquals(Mnist.DIGITS, data.classNames());
        assertEquals(9, data.label(4));
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels(5), 2 * 784, 3 * 784), data.image(2));
        Batch batch = data.batch(new int[] {4, 0});
        assertArrayEquals(new int[] {2, 1, 28, 28}, batch.inputs().shape());
        assertArrayEquals(new float[] {9, 7}, batch.targets().toArray());
        // image 4, pixel (0, 3): (4 * 31 + 3) mod 256 = 127
        assertEquals(127 / 255f, batch.inputs().get(0, 0, 0, 3));
        assertEquals(0f, batch.inputs().get(1, 0, 0, 0));
        // image 0, pixel (9, 3): 255
        assertEquals(1f, batch.inputs().get(1, 0, 9, 3));
    }

    @Test
    void fashionMnistNamesItsClasses() throws IOException {
        writeSplit("train", 3, new byte[] {0, 9, 5}, false);
        ImageDataset data = Mnist.load("fashion-mnist", folder, Mnist.Split.TRAIN);
        assertEquals(10, data.classNames().size());
        assertEquals("T-shirt/top", data.classNames().get(data.label(0)));
        assertEquals("Ankle boot", data.classNames().get(data.label(1)));
        assertEquals("Sandal", data.classNames().get(data.label(2)));
    }

    @Test
    void theRawFileIsPreferredToTheGzip() throws IOException {
        writeSplit("train", 2, new byte[] {1, 2}, false);
        Files.write(folder.resolve("train-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3}); // broken, and ignored
        assertEquals(2, Mnist.mnist(folder, Mnist.Split.TRAIN).label(1));
    }

    @Test
    void countsMustAgree() throws IOException {
        writeSplit("t10k", 5, new byte[] {1, 2, 3, 4}, false);
        DataFileException error = assertThrows(DataFileException.class, () -> Mnist.mnist(folder, Mnist.Split.TEST));
        assertEquals(folder.resolve("t10k-labels-idx1-ubyte") + ": byte 4: holds 4 labels but"
                + " t10k-images-idx3-ubyte holds 5 images", error.getMessage());
    }

    @Test
    void labelsMustBeClassIndices() throws IOException {
        writeSplit("t10k", 3, new byte[] {1, 10, 3}, true);
        DataFileException error = assertThrows(DataFileException.class, () -> Mnist.mnist(folder, Mnist.Split.TEST));
        assertEquals(folder.resolve("t10k-labels-idx1-ubyte.gz") + ": byte 9 of the decompressed stream: label 10 of"
                + " example 1 is not a class index 0..9", error.getMessage());
    }

    /** Found by fuzzing (IdxFuzzTest.fashionMnistPair): an IllegalArgumentException escaped from ImageDataset. */
    @Test
    void imagesOfZeroChannelsOrWidthAreADataFileError() throws IOException {
        writeSplit("t10k", 2, new byte[] {1, 2}, false);
        IdxWriter.write(folder.resolve("t10k-images-idx3-ubyte"), IdxArray.ofBytes(new byte[0], 2, 0, 28, 28));
        DataFileException error = assertThrows(DataFileException.class, () -> Mnist.mnist(folder, Mnist.Split.TEST));
        assertEquals(folder.resolve("t10k-images-idx3-ubyte") + ": byte 8: images of size [0, 28, 28] hold no pixels:"
                + " the channels, height and width must be at least 1", error.getMessage());
        IdxWriter.write(folder.resolve("t10k-images-idx3-ubyte"), IdxArray.ofBytes(new byte[0], 2, 28, 0));
        error = assertThrows(DataFileException.class, () -> Mnist.mnist(folder, Mnist.Split.TEST));
        assertEquals(folder.resolve("t10k-images-idx3-ubyte") + ": byte 12: images of size [28, 0] hold no pixels:"
                + " the height and width must be at least 1", error.getMessage());
    }

    @Test
    void imagesMustBeBytesOfRankThree() throws IOException {
        writeSplit("t10k", 2, new byte[] {1, 2}, false);
        IdxWriter.write(folder.resolve("t10k-images-idx3-ubyte"), IdxArray.ofFloats(IdxType.F32, new float[4], 2, 2));
        DataFileException error = assertThrows(DataFileException.class, () -> Mnist.mnist(folder, Mnist.Split.TEST));
        assertTrue(error.getMessage().startsWith(folder.resolve("t10k-images-idx3-ubyte") + ": byte 2: expected u8"),
                error.getMessage());
    }

    @Test
    void aMissingFileNamesTheFolderAndBothNames() throws IOException {
        writeSplit("train", 1, new byte[] {1}, false);
        FileNotFoundException error = assertThrows(FileNotFoundException.class,
                () -> Mnist.mnist(folder, Mnist.Split.TEST));
        assertEquals(folder + ": neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz is there",
                error.getMessage());
    }

    @Test
    void unknownDatasetNamesAreRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Mnist.load("cifar", folder, Mnist.Split.TEST));
        assertEquals("unknown dataset 'cifar' (expected mnist or fashion-mnist)", error.getMessage());
    }

    // The finder

    @Test
    void theEnvironmentVariableComesFirst() throws IOException {
        writeSplit("train", 1, new byte[] {1}, true);
        writeSplit("t10k", 1, new byte[] {1}, false);
        Map<String, String> environment = Map.of("SOMA_FASHION_MNIST_DIR", folder.toString(),
                "SOMA_MNIST_DIR", folder.toString());
        assertEquals(folder, Mnist.locate("fashion-mnist", environment::get, p -> Path.of("/nowhere"), null));
        assertEquals(folder, Mnist.locate("mnist", environment::get, p -> null, null));
    }

    @Test
    void anEnvironmentVariableNamingAnEmptyFolderIsAnError() {
        Map<String, String> environment = Map.of("SOMA_FASHION_MNIST_DIR", folder.toString());
        FileNotFoundException error = assertThrows(FileNotFoundException.class,
                () -> Mnist.locate("fashion-mnist", environment::get, p -> null, null));
        assertTrue(error.getMessage().startsWith("SOMA_FASHION_MNIST_DIR=" + folder + " is not a folder holding"
                + " train-images-idx3-ubyte"), error.getMessage());
    }

    @Test
    void dpkgsListingIsUsedWithoutTheVariable() throws IOException {
        writeSplit("train", 1, new byte[] {1}, true);
        writeSplit("t10k", 1, new byte[] {1}, true);
        assertEquals(folder, Mnist.locate("fashion-mnist", name -> null,
                name -> name.equals("dataset-fashion-mnist") ? folder : null, null));
        assertEquals(folder, Mnist.locate("fashion-mnist", name -> null, name -> null, folder));
    }

    @Test
    void absentDatasetsSayHowToGetThem() {
        Path empty = folder.resolve("empty");
        FileNotFoundException fashion = assertThrows(FileNotFoundException.class,
                () -> Mnist.locate("fashion-mnist", name -> null, name -> empty, empty));
        assertTrue(fashion.getMessage().contains("install it with `sudo apt-get install dataset-fashion-mnist`, or pass"
                + " a folder with `--data-dir DIR` holding train-images-idx3-ubyte"), fashion.getMessage());
    }

    @Test
    void absentMnistSaysToPassTheFolder() {
        FileNotFoundException mnist = assertThrows(FileNotFoundException.class,
                () -> Mnist.locate("mnist", name -> null, name -> folder, folder));
        assertTrue(mnist.getMessage().contains("pass a folder with `--data-dir DIR` holding train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte"), mnist.getMessage());
    }

    // The real thing

    @Test
    void theRealFashionMnistTestSplitLoads() throws IOException {
        Path found = null;
        String notFound = null;
        try {
            found = Mnist.locate("fashion-mnist");
        } catch (FileNotFoundException e) {
            notFound = e.getMessage();
        }
        Installed.assume("dataset-fashion-mnist", found != null, notFound);
        ImageDataset test = Mnist.fashionMnist(found, Mnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(1, test.channels());
        assertEquals(28, test.height());
        assertEquals(28, test.width());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
        int[] histogram = new int[10];
        for (int i = 0; i < test.size(); i++) {
            histogram[test.label(i)]++;
        }
        assertArrayEquals(test.classCounts(), histogram);
        // The first test image is an ankle boot (the README's first example); pixels span 0..255.
        assertEquals("Ankle boot", test.classNames().get(test.label(0)));
        Batch batch = test.batch(new int[] {0, 1, 2});
        assertArrayEquals(new int[] {3, 1, 28, 28}, batch.inputs().shape());
        assertEquals(0f, batch.inputs().min().item());
        assertEquals(1f, batch.inputs().max().item());
    }

    @Test
    void dpkgFindsTheDebianPackage() {
        Path listed = Mnist.dpkgFolder("dataset-fashion-mnist");
        Installed.assume("dataset-fashion-mnist", listed != null, "dpkg does not list it (or there is no dpkg)");
        assertTrue(Mnist.holdsDataset(listed), listed.toString());
        assertEquals(null, Mnist.dpkgFolder("no-such-package-soma-test"));
    }
}

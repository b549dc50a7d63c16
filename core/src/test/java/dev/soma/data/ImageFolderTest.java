package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Tensor;
import dev.soma.testing.Fuzzing;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image files written by ImageIO, read back through {@link Images} and {@link ImageFolder}: pixel values checked. */
class ImageFolderTest {

    @TempDir
    Path folder;

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int BROWN = 0xC86432; // (200, 100, 50)

    /**
     * An 8 × 8 image with quadrants red, green / blue, brown. (Not smaller: the JDK's GIF writer
     * scrambles the interlaced rows of images under 8 rows high.)
     */
    private static BufferedImage quadrants() {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, y < 4 ? (x < 4 ? RED : GREEN) : (x < 4 ? BLUE : BROWN));
            }
        }
        return image;
    }

    private static BufferedImage uniform(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** A grayscale image, its raster holding {@code values[y][x]} as stored. */
    private static BufferedImage gray(int[][] values) {
        BufferedImage image = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                image.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
        return image;
    }

    private Path save(BufferedImage image, String format, String relative) throws IOException {
        Path file = folder.resolve(relative);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
        return file;
    }

    private static int at(byte[] pixels, int channel, int y, int x, int height, int width) {
        return Byte.toUnsignedInt(pixels[(channel * height + y) * width + x]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif"})
    void losslessFormatsKeepEveryPixel(String format) throws IOException {
        Path file = save(quadrants(), format, "q." + format);
        byte[] rgb = Images.read(file, 3, 8, 8, null);
        int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {200, 100, 50}};
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int quadrant = (y < 4 ? 0 : 2) + (x < 4 ? 0 : 1);
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[quadrant][c], at(rgb, c, y, x, 8, 8), format + " channel " + c + " at " + y + "," + x);
                }
            }
        }
        // Luma, 0.299 R + 0.587 G + 0.114 B rounded: red 76.2, green 149.7, blue 29.1, brown 124.2.
        byte[] luma = Images.read(file, 1, 8, 8, null);
        assertArrayEquals(new int[] {76, 150, 29, 124},
                new int[] {at(luma, 0, 0, 0, 8, 8), at(luma, 0, 3, 7, 8, 8), at(luma, 0, 7, 0, 8, 8), at(luma, 0, 4, 4, 8, 8)});
    }

    /**
     * Found with the fuzz corpus (ImagesFuzzTest): ImageIO allocates what a header declares; a 60-byte
     * PNG claiming 20000 × 20000 gray pixels took 400 MB and 29 s to fail, one claiming 16-bit RGB
     * ran out of heap inside ImageIO (2.4 GB). The size is now read first.
     */
    @Test
    void aPictureOfMoreThan2To25PixelsIsRefusedBeforeItIsDecoded() throws IOException {
        Path file = folder.resolve("huge.png");
        Files.write(file, png(8193, 4096)); // 33,558,528 pixels, 4,096 more than 2^25
        assertThrows(DataFileException.class, () -> Images.read(file, 1, 28, 28, null)); // loads ImageIO's classes
        long before = Fuzzing.allocatedBytes();
        DataFileException error = assertThrows(DataFileException.class, () -> Images.read(file, 1, 28, 28, null));
        long allocated = Fuzzing.allocatedBytes() - before;
        assertEquals(file + ": the picture is 8193 × 4096 pixels, more than the 33,554,432 (2^25) Soma reads",
                error.getMessage());
        assertEquals(1L << 25, Images.MAX_PIXELS);
        assertTrue(allocated < 8 << 20, allocated + " bytes allocated");
    }

    /** A PNG that declares {@code width × height} 8-bit gray pixels and holds the first row's filter byte only. */
    private static byte[] png(int width, int height) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(64);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).array());
        chunk(out, "IEND", new byte[0]);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static void chunk(java.nio.ByteBuffer out, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        out.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data)
                .putInt((int) crc.getValue());
    }

    @Test
    void jpegIsCloseToTheOriginal() throws IOException {
        Path file = save(uniform(16, 16, BROWN), "jpeg", "brown.jpg");
        byte[] rgb = Images.read(file, 3, 16, 16, null);
        int[] expected = {200, 100, 50};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 256; p++) {
                int value = Byte.toUnsignedInt(rgb[c * 256 + p]);
                assertTrue(Math.abs(value - expected[c]) <= 4, "channel " + c + " pixel " + p + ": " + value);
            }
        }
    }

    @Test
    void grayFilesKeepTheirStoredValues() throws IOException {
        // Java2D would turn a linear gray of 128 into sRGB 188; the stored value must come back.
        Path file = save(gray(new int[][] {{0, 50, 128, 255}}), "png", "g.png");
        byte[] luma = Images.read(file, 1, 1, 4, null);
        assertArrayEquals(new byte[] {0, 50, (byte) 128, (byte) 255}, luma);
        byte[] rgb = Images.read(file, 3, 1, 4, null);
        assertEquals(128, at(rgb, 0, 0, 2, 1, 4));
        assertEquals(128, at(rgb, 1, 0, 2, 1, 4));
        assertEquals(128, at(rgb, 2, 0, 2, 1, 4));
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x000A141E); // fully transparent (10, 20, 30)
        image.setRGB(1, 0, 0x80FFFFFF); // half transparent white
        byte[] rgb = Images.read(save(image, "png", "a.png"), 3, 1, 2, null);
        assertArrayEquals(new byte[] {10, (byte) 255, 20, (byte) 255, 30, (byte) 255}, rgb);
    }

    @Test
    void areaResizeAveragesTheCoveredPixels() throws IOException {
        Path file = save(gray(new int[][] {{0, 100, 200, 250}, {0, 100, 200, 250}}), "png", "ramp.png");
        byte[] half = Images.read(file, 1, 1, 2, Images.Resize.AREA);
        assertEquals(50, Byte.toUnsignedInt(half[0]), 1);
        assertEquals(225, Byte.toUnsignedInt(half[1]), 1);
        byte[] whole = Images.read(file, 1, 1, 1, Images.Resize.AREA);
        assertEquals(137.5, Byte.toUnsignedInt(whole[0]), 1);
    }

    @Test
    void bilinearEnlargingInterpolates() throws IOException {
        Path file = save(gray(new int[][] {{0, 255}}), "png", "edge.png");
        byte[] wide = Images.read(file, 1, 1, 8, Images.Resize.BILINEAR);
        int previous = -1;
        for (int x = 0; x < 8; x++) {
            int value = Byte.toUnsignedInt(wide[x]);
            assertTrue(value >= previous, "not monotone at " + x + ": " + java.util.Arrays.toString(wide));
            previous = value;
        }
        assertTrue(Byte.toUnsignedInt(wide[0]) < 40 && Byte.toUnsignedInt(wide[7]) > 215, java.util.Arrays.toString(wide));
        assertTrue(Byte.toUnsignedInt(wide[3]) > 40 && Byte.toUnsignedInt(wide[4]) < 215, "no interpolated values: "
                + java.util.Arrays.toString(wide));
    }

    @Test
    void aUniformImageStaysUniformAtAnySize() throws IOException {
        Path file = save(uniform(5, 3, BROWN), "png", "u.png");
        for (Images.Resize resize : Images.Resize.values()) {
            for (int[] size : new int[][] {{1, 1}, {2, 7}, {9, 4}, {3, 5}}) {
                byte[] rgb = Images.read(file, 3, size[0], size[1], resize);
                int plane = size[0] * size[1];
                for (int p = 0; p < plane; p++) {
                    assertEquals(200, Byte.toUnsignedInt(rgb[p]), resize + " " + size[0] + "×" + size[1]);
                    assertEquals(100, Byte.toUnsignedInt(rgb[plane + p]));
                    assertEquals(50, Byte.toUnsignedInt(rgb[2 * plane + p]));
                }
            }
        }
    }

    @Test
    void loadGivesAFloatTensorInZeroOne() throws IOException {
        Path file = save(quadrants(), "png", "q.png");
        Tensor rgb = Images.load(file, 3, 2, 2);
        assertArrayEquals(new int[] {3, 2, 2}, rgb.shape());
        assertEquals(1f, rgb.get(0, 0, 0)); // red's red
        assertEquals(0f, rgb.get(1, 0, 0));
        assertEquals(200 / 255f, rgb.get(0, 1, 1), 1 / 255f);
        Tensor luma = Images.load(file, 1, 4, 4);
        assertArrayEquals(new int[] {1, 4, 4}, luma.shape());
        assertEquals(76 / 255f, luma.get(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Images.load(file, 2, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> Images.load(file, 1, 0, 4));
    }

    @Test
    void aFolderOfClassesBecomesADataset() throws IOException {
        save(uniform(6, 6, RED), "png", "zebra/z1.png");
        save(uniform(3, 3, GREEN), "bmp", "apple/a2.bmp");
        save(uniform(8, 2, BLUE), "gif", "apple/a1.GIF");
        save(uniform(4, 4, BROWN), "jpg", "apple/more/a3.jpeg");
        save(uniform(4, 4, RED), "png", "apple/.hidden.png");
        save(uniform(4, 4, RED), "png", "apple/.cache/x.png");
        Files.writeString(folder.resolve("apple/notes.txt"), "not an image");
        Files.writeString(folder.resolve("README"), "files beside the class folders are ignored");
        save(uniform(4, 4, RED), "png", ".git/ignored.png");

        ImageDataset data = ImageFolder.load(folder, 3, 2, 2);
        assertEquals(List.of("apple", "zebra"), data.classNames());
        assertEquals(4, data.size());
        assertArrayEquals(new int[] {3, 1}, data.classCounts());
        // Files in sorted path order: apple/a1.GIF, apple/a2.bmp, apple/more/a3.jpeg, zebra/z1.png.
        int[] firstRed = {0, 0, 200, 255};
        for (int i = 0; i < 4; i++) {
            assertEquals(i < 3 ? 0 : 1, data.label(i));
            assertEquals(firstRed[i], Byte.toUnsignedInt(data.image(i)[0]), 4, "image " + i);
            assertEquals(12, data.image(i).length);
        }
        Batch batch = data.batch(new int[] {3, 0});
        assertArrayEquals(new int[] {2, 3, 2, 2}, batch.inputs().shape());
        assertArrayEquals(new float[] {1, 0}, batch.targets().toArray());
        assertEquals(1f, batch.inputs().get(0, 0, 1, 1));
        assertEquals(1f, batch.inputs().get(1, 2, 0, 0)); // blue's blue

        ImageDataset grayscale = ImageFolder.load(folder, 1, 5, 3, Images.Resize.BILINEAR);
        assertArrayEquals(new int[] {4, 1, 5, 3}, grayscale.batch(new int[] {0, 1, 2, 3}).inputs().shape());
        assertEquals(76, Byte.toUnsignedInt(grayscale.image(3)[7]));
    }

    @Test
    void anEmptyClassFolderIsAnError() throws IOException {
        save(uniform(2, 2, RED), "png", "cat/1.png");
        Files.createDirectories(folder.resolve("dog"));
        Files.writeString(folder.resolve("dog/readme.md"), "no images here");
        DataFileException error = assertThrows(DataFileException.class, () -> ImageFolder.load(folder, 1, 2, 2));
        assertEquals(folder.resolve("dog") + ": class folder 'dog' holds no images (.bmp, .gif, .jpeg, .jpg, .png)",
                error.getMessage());
    }

    @Test
    void noClassFoldersIsAnError() throws IOException {
        save(uniform(2, 2, RED), "png", "loose.png");
        Files.createDirectories(folder.resolve(".hidden"));
        DataFileException error = assertThrows(DataFileException.class, () -> ImageFolder.load(folder, 1, 2, 2));
        assertEquals(folder + ": no class folders (expected one subfolder of images per class)", error.getMessage());
        assertThrows(FileNotFoundException.class, () -> ImageFolder.load(folder.resolve("loose.png"), 1, 2, 2));
    }

    @Test
    void aFileImageIoCannotDecodeIsNamed() throws IOException {
        save(uniform(2, 2, RED), "png", "cat/1.png");
        Path broken = folder.resolve("cat/2.png");
        Files.writeString(broken, "this is not a PNG");
        DataFileException error = assertThrows(DataFileException.class, () -> ImageFolder.load(folder, 1, 2, 2));
        assertEquals(broken, error.file());
        assertTrue(error.getMessage().startsWith(broken + ": ImageIO cannot decode this file"), error.getMessage());

        byte[] png = Files.readAllBytes(folder.resolve("cat/1.png"));
        Files.write(broken, java.util.Arrays.copyOf(png, png.length / 2)); // a PNG cut in half
        error = assertThrows(DataFileException.class, () -> ImageFolder.load(folder, 1, 2, 2));
        assertTrue(error.getMessage().startsWith(broken + ": ImageIO cannot decode this file"), error.getMessage());
    }
}

package dev.soma.app.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {

    @TempDir
    Path dir;

    private static Chart chart() {
        return new Chart("saved", "x", "y")
                .heatmap(0, 1, 0, 1, new double[][] {{0, 1}, {1, 0}})
                .line("l", new double[] {0, 1}, new double[] {0, 1});
    }

    @Test
    void savedPngReadsBackAtTheRequestedSizeWithTheSamePixels() throws IOException {
        BufferedImage image = chart().render(321, 123);
        Path file = dir.resolve("plot.png");
        Png.write(image, file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(321, read.getWidth());
        assertEquals(123, read.getHeight());
        for (int y = 0; y < 123; y += 7) {
            for (int x = 0; x < 321; x += 5) {
                assertEquals(image.getRGB(x, y), read.getRGB(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void chartAndFigureSaveAtTheirSizes() throws IOException {
        Path chartFile = dir.resolve("chart.png");
        chart().save(chartFile);
        BufferedImage read = ImageIO.read(chartFile.toFile());
        assertEquals(Chart.DEFAULT_WIDTH, read.getWidth());
        assertEquals(Chart.DEFAULT_HEIGHT, read.getHeight());

        Path figureFile = dir.resolve("figure.png");
        new Figure(2, chart(), chart()).save(figureFile, 500, 200);
        read = ImageIO.read(figureFile.toFile());
        assertEquals(500, read.getWidth());
        assertEquals(200, read.getHeight());
    }

    @Test
    void missingParentDirectoriesAreCreated() throws IOException {
        Path file = dir.resolve("runs/moons/epoch-10/surface.png");
        chart().save(file, 100, 80);
        assertTrue(Files.isRegularFile(file));
        assertEquals(100, ImageIO.read(file.toFile()).getWidth());
    }

    @Test
    void savingLeavesNoTemporaryFilesAndReplacesAnOldPicture() throws IOException {
        Path file = dir.resolve("plot.png");
        Files.writeString(file, "an old picture");
        chart().save(file, 90, 70);
        chart().save(file, 60, 50);
        assertEquals(List.of(file), list(dir));
        assertEquals(60, ImageIO.read(file.toFile()).getWidth());
    }

    @Test
    void parentThatIsARegularFileFailsNamingThePath() throws IOException {
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "x");
        Path file = blocker.resolve("plot.png");
        IOException e = assertThrows(IOException.class, () -> chart().save(file));
        assertTrue(e.getMessage().startsWith("cannot write plot to " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(blocker.toString()), e.getMessage());
        assertEquals(List.of(blocker), list(dir));
    }

    @Test
    void failedMoveRemovesItsTemporaryFile() throws IOException {
        // The target is a non-empty directory: writing succeeds, the move cannot.
        Path target = dir.resolve("plot.png");
        Files.createDirectories(target.resolve("inside"));
        IOException e = assertThrows(IOException.class, () -> chart().save(target, 50, 40));
        assertTrue(e.getMessage().startsWith("cannot write plot to " + target + ": "), e.getMessage());
        assertEquals(List.of(target), list(dir), "only the directory that was there before");
    }

    @Test
    void savedFileGetsOrdinaryPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX permissions");
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        Path file = dir.resolve("plot.png");
        chart().save(file, 20, 20);
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(file));
    }

    @Test
    void relativePathsWork() throws IOException {
        Path relative = Path.of("target", "plot-test-" + ProcessHandle.current().pid() + ".png");
        try {
            chart().save(relative, 30, 30);
            assertEquals(30, ImageIO.read(relative.toFile()).getHeight());
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}

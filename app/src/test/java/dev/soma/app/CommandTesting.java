package dev.soma.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The shared fixture of the command tests: runs {@code soma} in-process, checks how it reports a
 * user's mistake, and draws the two-class picture folders (bright and dark squares) they train on.
 */
final class CommandTesting {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CommandTesting() {
    }

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {

        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        /** The last line of standard output, parsed as JSON. */
        JsonNode json() throws IOException {
            return MAPPER.readTree(outLines().getLast());
        }

        /** Both streams, for assertion messages. */
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code soma args…} in-process, with colours off. */
    static Run run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs {@code soma args…} and checks it succeeded with nothing on stderr. */
    static Run succeed(String... args) {
        Run run = run(args);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run;
    }

    /**
     * Checks {@code run} failed the way a user's mistake should: a nonzero exit code, one stderr line
     * {@code soma: …} holding every fragment, no stack trace; for a usage mistake (exit code 2) it may
     * be followed by the hint to run {@code --help}.
     */
    static void assertUserError(Run run, String... fragments) {
        assertNotEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.errLines();
        assertFalse(lines.isEmpty(), run::toString);
        assertTrue(lines.getFirst().startsWith("soma: "), run::toString);
        if (lines.size() > 1) {
            assertEquals(2, lines.size(), run::toString);
            assertTrue(lines.get(1).matches("Try 'soma( \\w+)* --help' for more information\\."), run::toString);
        }
        assertFalse(run.err().contains("\tat "), run::toString);
        assertFalse(run.err().contains("Exception"), run::toString);
        for (String fragment : fragments) {
            assertTrue(lines.getFirst().contains(fragment), () -> "no '" + fragment + "' in\n" + run);
        }
    }

    /** {@link #assertUserError} for a usage mistake: exit code 2 and the hint to run {@code --help}. */
    static void assertUsageError(Run run, String command, String... fragments) {
        assertUserError(run, fragments);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("Try 'soma " + command + " --help' for more information."),
                run.errLines().subList(1, run.errLines().size()), run::toString);
    }

    /** Each element of a JSON object's field names, in order. */
    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The numbers of a JSON array. */
    static double[] numbers(JsonNode array) {
        assertTrue(array.isArray(), () -> "not an array: " + array);
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            assertTrue(array.get(i).isNumber(), () -> "not a number: " + array);
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    // ---------------------------------------------------------------- pictures

    /**
     * A square picture of noise, light (gray levels 170..255) if {@code bright}, else dark (0..85),
     * in RGB, different for each {@code seed}.
     */
    static BufferedImage square(int width, int height, boolean bright, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int base = bright ? 170 : 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = base + random.nextInt(86);
                int g = base + random.nextInt(86);
                int b = base + random.nextInt(86);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** Writes {@link #square} to {@code file} in {@code format} (png, jpg, bmp, gif); returns the file. */
    static Path writeSquare(Path file, String format, int width, int height, boolean bright, long seed)
            throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = square(width, height, bright, seed);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
        return file;
    }

    /**
     * Class folders {@code bright/} and {@code dark/} under {@code folder}, {@code perClass} 16 × 16
     * PNGs in each; pictures with the same {@code firstSeed} are the same.
     */
    static Path brightAndDark(Path folder, int perClass, long firstSeed) throws IOException {
        for (int i = 0; i < perClass; i++) {
            long seed = firstSeed + i;
            writeSquare(folder.resolve("bright/" + i + ".png"), "png", 16, 16, true, seed);
            writeSquare(folder.resolve("dark/" + i + ".png"), "png", 16, 16, false, seed + 10_000);
        }
        return folder;
    }

    /** {@link #brightAndDark} split into {@code train/} (40 per class) and {@code test/} (10 per class). */
    static Path brightAndDarkSplit(Path folder) throws IOException {
        brightAndDark(folder.resolve("train"), 40, 0);
        brightAndDark(folder.resolve("test"), 10, 1_000);
        return folder;
    }
}

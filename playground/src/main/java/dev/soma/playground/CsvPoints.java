package dev.soma.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads points from CSV text, one {@code x1,x2,label} a line. A first line {@code x1,x2,label} is a
 * header and skipped; blank lines are skipped. Labels that are all whole numbers from 0 to 7 are
 * classes; otherwise the points are a regression problem and the labels the values to fit.
 *
 * <p>Every error names its line: {@code line 3: expected 3 values x1,x2,label, got 2 ('0.5,1')}.
 */
public final class CsvPoints {

    /**
     * A decimal number: {@code -1}, {@code 0.5}, {@code .5}, {@code 2e-3}; no NaN, no infinity, no hex.
     * Possessive ({@code ++}, {@code ?+}): {@code \d+\.?\d*} could split a run of digits between its
     * two {@code \d}s in n ways, and a cell of 40,000 digits and a letter took 38 s to reject.
     */
    private static final Pattern NUMBER = Pattern.compile("[-+]?+(\\d++\\.?+\\d*+|\\.\\d++)([eE][-+]?+\\d++)?+");

    private CsvPoints() {
    }

    /**
     * The points of {@code text}, all marked as training points (the session splits them).
     *
     * @throws PlaygroundException naming the line of the first malformed row, or when there are no
     *     points or more than {@link Limits#MAX_POINTS}
     */
    public static List<Point> parse(String text) {
        List<Point> points = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || points.isEmpty() && i == 0 && isHeader(line)) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 3) {
                throw new PlaygroundException("line " + number + ": expected 3 values x1,x2,label, got " + cells.length
                        + " ('" + shorten(line) + "')");
            }
            float[] values = new float[3];
            for (int c = 0; c < 3; c++) {
                String cell = cells[c].strip();
                if (!NUMBER.matcher(cell).matches()) {
                    throw new PlaygroundException("line " + number + ": '" + shorten(cell) + "' is not a number");
                }
                values[c] = Float.parseFloat(cell);
                if (!Float.isFinite(values[c])) {
                    throw new PlaygroundException("line " + number + ": '" + shorten(cell) + "' is too large for a float");
                }
            }
            if (points.size() == Limits.MAX_POINTS) {
                throw new PlaygroundException("line " + number + ": at most " + Limits.MAX_POINTS + " points");
            }
            points.add(new Point(values[0], values[1], values[2], true));
        }
        if (points.isEmpty()) {
            throw new PlaygroundException("the CSV holds no points (expected lines of x1,x2,label)");
        }
        return points;
    }

    private static boolean isHeader(String line) {
        return line.replace(" ", "").toLowerCase(Locale.ROOT).equals("x1,x2,label");
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "…";
    }
}

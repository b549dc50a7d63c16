package dev.soma.app.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One panel: a title, labelled axes with nice ticks and a light grid, and layers drawn bottom to
 * top: a heatmap, its contour lines, lines, scatter points, annotations, then a legend of the
 * labelled series.
 *
 * <pre>{@code
 * new Chart("Decision surface", "x₁", "x₂")
 *     .heatmap(-2, 2, -2, 2, probabilities).contour(0.5)
 *     .scatterByClass(xs, ys, labels)
 *     .save(Path.of("runs/moons.png"));
 * }</pre>
 *
 * <p>Each method returns this chart. Arrays are copied when a layer is added, so the caller may
 * reuse them (not modified). Points with a NaN or infinite coordinate are skipped, and a line
 * breaks there. An axis range not fixed with {@link #xRange} or {@link #yRange} spans the points
 * with a 5% margin on each side, joined with the heatmap's extent (which gets no margin, so a
 * heatmap covering all points fills the panel); a range of zero width is widened, and a chart
 * with no data shows [0, 1].
 */
public final class Chart {

    static final int DEFAULT_WIDTH = 640;
    static final int DEFAULT_HEIGHT = 480;

    private static final double MARGIN = 0.05;
    /** Values are clamped to ±this so that spans and pixel positions stay finite. */
    private static final double LARGEST = 1e300;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Annotation> annotations = new ArrayList<>();
    private final List<Double> contourLevels = new ArrayList<>();
    private Heatmap heatmap;
    private double[] fixedX;
    private double[] fixedY;

    /** An empty chart; null texts count as empty and are not drawn. */
    public Chart(String title, String xLabel, String yLabel) {
        this.title = Objects.requireNonNullElse(title, "");
        this.xLabel = Objects.requireNonNullElse(xLabel, "");
        this.yLabel = Objects.requireNonNullElse(yLabel, "");
    }

    /** A solid line through (xs[i], ys[i]) in order, in the next unused palette colour; label may be null. */
    public Chart line(String label, double[] xs, double[] ys) {
        return add(label, xs, ys, Series.Style.LINE);
    }

    /** As {@link #line}, dashed: for a second view of the same quantity, such as validation loss. */
    public Chart dashedLine(String label, double[] xs, double[] ys) {
        return add(label, xs, ys, Series.Style.DASHED);
    }

    /** Round points at (xs[i], ys[i]) in the next unused palette colour; label may be null. */
    public Chart scatter(String label, double[] xs, double[] ys) {
        return add(label, xs, ys, Series.Style.SCATTER);
    }

    /** Small square dots, 2 pixels wide, with no outline: for thousands of points, such as a spike raster. */
    public Chart dots(String label, double[] xs, double[] ys) {
        return add(label, xs, ys, Series.Style.DOTS);
    }

    /**
     * Points coloured and shaped by class, outlined in black: class k gets palette colour k and
     * marker k (class 0 blue circles, class 1 vermillion squares, …), and the legend names them
     * "class k". Classes must be ≥ 0.
     */
    public Chart scatterByClass(double[] xs, double[] ys, int[] classes) {
        requireSameLength(xs, ys);
        Objects.requireNonNull(classes, "classes");
        if (classes.length != xs.length) {
            throw new IllegalArgumentException(
                    "classes must have one entry per point, got " + classes.length + " for " + xs.length + " points");
        }
        TreeSet<Integer> present = new TreeSet<>();
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0) {
                throw new IllegalArgumentException("class must be >= 0, got " + classes[i] + " at index " + i);
            }
            present.add(classes[i]);
        }
        for (int k : present) {
            int count = 0;
            for (int c : classes) {
                count += c == k ? 1 : 0;
            }
            double[] classXs = new double[count];
            double[] classYs = new double[count];
            for (int i = 0, j = 0; i < classes.length; i++) {
                if (classes[i] == k) {
                    classXs[j] = xs[i];
                    classYs[j++] = ys[i];
                }
            }
            series.add(new Series("class " + k, classXs, classYs, Series.Style.SCATTER, Palette.series(k), k, Color.BLACK));
        }
        return this;
    }

    /**
     * A heatmap under everything else, for a classifier's decision surface: {@code values[row][col]}
     * is sampled at {@code x = xMin + col·(xMax − xMin)/(cols − 1)}, {@code y = yMin + row·(yMax − yMin)/(rows − 1)}
     * (row 0 at the bottom, col 0 at the left; the grid's corners are the extent's corners), and is
     * interpolated bilinearly between samples. Values are clamped to [0, 1] and drawn blue at 0,
     * white at 0.5 and vermillion at 1; NaN is left blank. Rows must all have the same length.
     * A chart has one heatmap; a second call replaces the first.
     */
    public Chart heatmap(double xMin, double xMax, double yMin, double yMax, double[][] values) {
        heatmap = Heatmap.of(xMin, xMax, yMin, yMax, values);
        return this;
    }

    /** Draws the heatmap's line at {@code level} (e.g. 0.5, a classifier's boundary); no-op without a heatmap. */
    public Chart contour(double level) {
        if (!Double.isFinite(level)) {
            throw new IllegalArgumentException("contour level must be finite, got " + level);
        }
        contourLevels.add(level);
        return this;
    }

    /** Fixes the x axis to [min, max] instead of fitting the data. */
    public Chart xRange(double min, double max) {
        requireRange("x range", min, max);
        fixedX = new double[] {min, max};
        return this;
    }

    /** Fixes the y axis to [min, max] instead of fitting the data. */
    public Chart yRange(double min, double max) {
        requireRange("y range", min, max);
        fixedY = new double[] {min, max};
        return this;
    }

    /** Marks the point (x, y) with a ring and writes {@code text} beside it; skipped if not finite. */
    public Chart marker(double x, double y, String text) {
        annotations.add(new Annotation(x, y, Objects.requireNonNullElse(text, "")));
        return this;
    }

    /** The chart as a {@value #DEFAULT_WIDTH}×{@value #DEFAULT_HEIGHT} image. */
    public BufferedImage render() {
        return render(DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** The chart as a width × height RGB image on white. */
    public BufferedImage render(int width, int height) {
        BufferedImage image = Canvas.blank(width, height);
        Graphics2D g = Canvas.open(image);
        try {
            draw(g, new Rectangle(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders at the default size and writes a PNG with {@link Png#write}. */
    public void save(Path file) throws IOException {
        Png.write(render(), file);
    }

    /** Renders at width × height and writes a PNG with {@link Png#write}. */
    public void save(Path file, int width, int height) throws IOException {
        Png.write(render(width, height), file);
    }

    /** Draws the whole chart into {@code bounds} of {@code g}; g's state is restored afterwards. */
    void draw(Graphics2D g, Rectangle bounds) {
        Graphics2D panel = (Graphics2D) g.create();
        try {
            panel.clip(bounds);
            panel.setColor(Color.WHITE);
            panel.fill(bounds);
            Axes axes = layout(panel, bounds);
            Viewport view = axes.view();
            Graphics2D plot = (Graphics2D) panel.create();
            plot.clip(view.area());
            if (heatmap != null) {
                heatmap.draw(plot, view);
            }
            axes.drawGrid(plot);
            if (heatmap != null) {
                for (double level : contourLevels) {
                    heatmap.drawContour(plot, view, level);
                }
            }
            // Lines under points, so that markers stay visible.
            for (Series s : series) {
                if (!s.isScatter()) {
                    s.draw(plot, view);
                }
            }
            for (Series s : series) {
                if (s.isScatter()) {
                    s.draw(plot, view);
                }
            }
            for (Annotation a : annotations) {
                a.draw(plot, view);
            }
            plot.dispose();
            axes.drawFrame(panel);
            Legend.draw(panel, view.area(), legendEntries(), box -> crowding(view, box));
        } finally {
            panel.dispose();
        }
    }

    /** Where the data goes in a width × height rendering: the axis ranges and the plot area in pixels. */
    Viewport viewport(int width, int height) {
        Graphics2D g = Canvas.open(Canvas.blank(1, 1));
        try {
            return layout(g, new Rectangle(0, 0, width, height)).view();
        } finally {
            g.dispose();
        }
    }

    private Axes layout(Graphics2D g, Rectangle bounds) {
        return Axes.layout(g, bounds, title, xLabel, yLabel, range(true), range(false));
    }

    private Chart add(String label, double[] xs, double[] ys, Series.Style style) {
        requireSameLength(xs, ys);
        Color color = nextColor();
        Color outline = switch (style) {
            case SCATTER -> color.darker();
            case DOTS -> color;
            case LINE, DASHED -> null;
        };
        series.add(new Series(label, xs.clone(), ys.clone(), style, color, 0, outline));
        return this;
    }

    /** The first palette colour no series uses yet, or the palette again from the start. */
    private Color nextColor() {
        for (Color c : Palette.SERIES) {
            if (series.stream().noneMatch(s -> s.color().equals(c))) {
                return c;
            }
        }
        return Palette.series(series.size());
    }

    /** The x (or y) axis range: fixed, or fitted to the data as the class doc says. */
    private double[] range(boolean x) {
        double[] fixed = x ? fixedX : fixedY;
        if (fixed != null) {
            return fixed.clone();
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                if (s.finite(i)) {
                    double v = clampLargest(x ? s.xs()[i] : s.ys()[i]);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (Annotation a : annotations) {
            if (a.finite()) {
                double v = clampLargest(x ? a.x() : a.y());
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min <= max) {
            double span = max - min;
            if (span <= 1e-12 * Math.max(Math.abs(min), Math.abs(max))) {
                double half = Math.max(Math.abs(min) * 0.1, 0.5);
                min -= half;
                max += half;
            } else {
                min -= MARGIN * span;
                max += MARGIN * span;
            }
        }
        if (heatmap != null) {
            min = Math.min(min, x ? heatmap.xMin() : heatmap.yMin());
            max = Math.max(max, x ? heatmap.xMax() : heatmap.yMax());
        }
        return min < max ? new double[] {min, max} : new double[] {0, 1};
    }

    private List<Legend.Entry> legendEntries() {
        List<Legend.Entry> entries = new ArrayList<>();
        for (Series s : series) {
            Legend.Entry entry = s.legendEntry();
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** How much data {@code box} (in pixels) would hide. */
    private int crowding(Viewport view, Rectangle2D box) {
        int hidden = 0;
        for (Series s : series) {
            hidden += s.hiddenBy(box, view);
        }
        for (Annotation a : annotations) {
            if (a.finite() && box.contains(view.px(a.x()), view.py(a.y()))) {
                hidden++;
            }
        }
        return hidden;
    }

    private static double clampLargest(double v) {
        return Math.clamp(v, -LARGEST, LARGEST);
    }

    private static void requireSameLength(double[] xs, double[] ys) {
        Objects.requireNonNull(xs, "xs");
        Objects.requireNonNull(ys, "ys");
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs and ys must have the same length, got " + xs.length + " and " + ys.length);
        }
    }

    static void requireRange(String what, double min, double max) {
        if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(what + " must be finite with min < max, got [" + min + ", " + max + "]");
        }
    }
}

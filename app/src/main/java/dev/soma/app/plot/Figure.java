package dev.soma.app.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Several charts side by side: a grid filled row by row, {@code columns} wide, with an optional
 * overall title on top. Every cell gets an equal share of the image.
 *
 * <pre>{@code
 * new Figure(2, lossChart, surfaceChart).title("moons, 200 epochs").save(Path.of("runs/moons.png"));
 * }</pre>
 */
public final class Figure {

    private static final Font TITLE = Canvas.TITLE.deriveFont(17f);

    private final int columns;
    private final List<Chart> charts;
    private String title = "";

    /**
     * A grid of {@code charts}, {@code columns} per row (at most as many as there are charts); the
     * charts are kept, not copied, so later changes to them show.
     */
    public Figure(int columns, Chart... charts) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        if (charts.length == 0) {
            throw new IllegalArgumentException("a figure needs at least one chart");
        }
        this.charts = List.of(charts);
        this.columns = Math.min(columns, charts.length);
    }

    /** The overall title, above all charts; null or empty for none. */
    public Figure title(String title) {
        this.title = Objects.requireNonNullElse(title, "");
        return this;
    }

    /** The figure with each cell at a chart's default size. */
    public BufferedImage render() {
        int rows = rows();
        return render(columns * Chart.DEFAULT_WIDTH, rows * Chart.DEFAULT_HEIGHT + (title.isEmpty() ? 0 : 40));
    }

    /** The figure as a width × height RGB image on white. */
    public BufferedImage render(int width, int height) {
        BufferedImage image = Canvas.blank(width, height);
        Graphics2D g = Canvas.open(image);
        try {
            int top = 0;
            if (!title.isEmpty()) {
                top = Canvas.lineHeight(g, TITLE) + 16;
                g.setFont(TITLE);
                g.setColor(Palette.TEXT);
                Canvas.text(g, title, width / 2.0, 10, 0.5, 0);
            }
            int rows = rows();
            for (int i = 0; i < charts.size(); i++) {
                int row = i / columns;
                int column = i % columns;
                int x0 = column * width / columns;
                int x1 = (column + 1) * width / columns;
                int y0 = top + row * (height - top) / rows;
                int y1 = top + (row + 1) * (height - top) / rows;
                charts.get(i).draw(g, new Rectangle(x0, y0, x1 - x0, y1 - y0));
            }
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

    private int rows() {
        return (charts.size() + columns - 1) / columns;
    }
}

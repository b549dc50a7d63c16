package dev.soma.app.plot;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * A chart's frame: where the plot area goes inside the panel, the ticks on each axis, and the
 * drawing of grid, frame, tick labels, axis labels and title.
 *
 * <p>Layout: the title on top, the y label (turned a quarter left) and the y tick labels on the
 * left, the x tick labels and x label below; the plot area takes the rest. The y ticks are chosen
 * first (they depend only on the height), then the left margin from their widest label, then the
 * x ticks from the width that remains. On each axis the tick count aims at one per 80 pixels
 * (x) or 50 pixels (y), between 2 and 10, and drops while neighbouring labels would collide.
 */
final class Axes {

    private static final int PAD = 10;
    private static final int RIGHT = 20;
    private static final int TICK_LENGTH = 5;
    private static final int GAP = 4;

    private final Rectangle bounds;
    private final Viewport view;
    private final Ticks xTicks;
    private final Ticks yTicks;
    private final String title;
    private final String xLabel;
    private final String yLabel;

    private Axes(Rectangle bounds, Viewport view, Ticks xTicks, Ticks yTicks, String title, String xLabel, String yLabel) {
        this.bounds = bounds;
        this.view = view;
        this.xTicks = xTicks;
        this.yTicks = yTicks;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Lays out a panel in {@code bounds} for the data ranges {min, max} (each min < max); nothing is drawn. */
    static Axes layout(Graphics2D g, Rectangle bounds, String title, String xLabel, String yLabel, double[] xRange, double[] yRange) {
        int tickHeight = Canvas.lineHeight(g, Canvas.TICK);
        int labelHeight = Canvas.lineHeight(g, Canvas.LABEL);
        int top = PAD + (title.isEmpty() ? 0 : Canvas.lineHeight(g, Canvas.TITLE) + 8);
        int bottom = TICK_LENGTH + GAP + tickHeight + (xLabel.isEmpty() ? 0 : GAP + 2 + labelHeight) + PAD;
        int height = Math.max(0, bounds.height - top - bottom);

        FontMetrics metrics = g.getFontMetrics(Canvas.TICK);
        Ticks yTicks = fit(yRange, height, 50, tickHeight + GAP, null);
        int yTickWidth = 0;
        for (double v : yTicks.values()) {
            yTickWidth = Math.max(yTickWidth, metrics.stringWidth(yTicks.label(v)));
        }
        int left = PAD + (yLabel.isEmpty() ? 0 : labelHeight + 2 * GAP) + yTickWidth + GAP + TICK_LENGTH;
        int width = Math.max(0, bounds.width - left - RIGHT);
        Ticks xTicks = fit(xRange, width, 80, 3 * GAP, metrics);

        Rectangle area = new Rectangle(bounds.x + left, bounds.y + top, width, height);
        Viewport view = new Viewport(xRange[0], xRange[1], yRange[0], yRange[1], area);
        return new Axes(bounds, view, xTicks, yTicks, title, xLabel, yLabel);
    }

    /**
     * Ticks for {@code range} on an axis {@code pixels} long, one per {@code pixelsPerTick} or fewer
     * so that neighbours are at least {@code gap} apart, plus the widest label if {@code metrics}
     * is given (labels side by side) or not (labels stacked, gap includes their height).
     */
    private static Ticks fit(double[] range, int pixels, int pixelsPerTick, int gap, FontMetrics metrics) {
        Ticks ticks = null;
        for (int target = Math.clamp(pixels / pixelsPerTick, 2, 10); target >= 2; target--) {
            ticks = Ticks.nice(range[0], range[1], target);
            int needed = gap;
            if (metrics != null) {
                for (double v : ticks.values()) {
                    needed = Math.max(needed, gap + metrics.stringWidth(ticks.label(v)));
                }
            }
            if (ticks.step() / (range[1] - range[0]) * pixels >= needed) {
                break;
            }
        }
        return ticks;
    }

    Viewport view() {
        return view;
    }

    /** Light lines across the plot area at every tick. */
    void drawGrid(Graphics2D g) {
        Rectangle area = view.area();
        g.setColor(Palette.GRID);
        g.setStroke(new BasicStroke(1f));
        for (double v : xTicks.values()) {
            double x = crisp(view.px(v));
            g.draw(new Line2D.Double(x, area.y, x, area.getMaxY()));
        }
        for (double v : yTicks.values()) {
            double y = crisp(view.py(v));
            g.draw(new Line2D.Double(area.x, y, area.getMaxX(), y));
        }
    }

    /** The frame around the plot area, tick marks and their labels, both axis labels and the title. */
    void drawFrame(Graphics2D g) {
        Rectangle area = view.area();
        g.setStroke(new BasicStroke(1f));
        g.setColor(Palette.AXIS);
        g.draw(new Rectangle2D.Double(crisp(area.x), crisp(area.y), area.width - 1, area.height - 1));
        g.setFont(Canvas.TICK);
        double bottom = area.getMaxY();
        for (double v : xTicks.values()) {
            double x = crisp(view.px(v));
            g.setColor(Palette.AXIS);
            g.draw(new Line2D.Double(x, bottom, x, bottom + TICK_LENGTH));
            g.setColor(Palette.TEXT);
            Canvas.text(g, xTicks.label(v), x, bottom + TICK_LENGTH + GAP, 0.5, 0);
        }
        for (double v : yTicks.values()) {
            double y = crisp(view.py(v));
            g.setColor(Palette.AXIS);
            g.draw(new Line2D.Double(area.x - TICK_LENGTH, y, area.x, y));
            g.setColor(Palette.TEXT);
            Canvas.text(g, yTicks.label(v), area.x - TICK_LENGTH - GAP, y, 1, 0.5);
        }
        g.setColor(Palette.TEXT);
        g.setFont(Canvas.LABEL);
        if (!xLabel.isEmpty()) {
            double y = bottom + TICK_LENGTH + GAP + Canvas.lineHeight(g, Canvas.TICK) + GAP + 2;
            Canvas.text(g, xLabel, area.getCenterX(), y, 0.5, 0);
        }
        if (!yLabel.isEmpty()) {
            double x = bounds.x + PAD;
            double y = area.getCenterY();
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2, x, y);
            Canvas.text(g, yLabel, x, y, 0.5, 0);
            g.setTransform(saved);
        }
        if (!title.isEmpty()) {
            g.setFont(Canvas.TITLE);
            Canvas.text(g, title, area.getCenterX(), bounds.y + PAD, 0.5, 0);
        }
    }

    /** The centre of the pixel that p falls in, so that 1-pixel lines stay sharp. */
    private static double crisp(double p) {
        return Math.floor(p) + 0.5;
    }
}

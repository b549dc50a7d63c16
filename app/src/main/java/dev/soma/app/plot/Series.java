package dev.soma.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * One data set of a chart: the points (xs[i], ys[i]) drawn as a solid line, a dashed line, or
 * markers. Points with a NaN or infinite coordinate are skipped and break a line; a point of a line
 * with no finite neighbour is drawn as a dot. The arrays are the chart's own copies.
 *
 * @param label the legend text, or null (or blank) for no legend entry
 * @param marker for points, the {@link Palette#marker} number
 * @param outline for points, the colour of the marker's edge
 */
record Series(String label, double[] xs, double[] ys, Style style, Color color, int marker, Color outline) {

    enum Style { LINE, DASHED, SCATTER, DOTS }

    private static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f);
    private static final int MARKER_SIZE = 8;

    /** Points rather than a line: markers, or dots. */
    boolean isScatter() {
        return style == Style.SCATTER || style == Style.DOTS;
    }

    void draw(Graphics2D g, Viewport view) {
        g.setColor(color);
        if (isScatter()) {
            drawPoints(g, view);
        } else {
            drawLine(g, view);
        }
    }

    private void drawLine(Graphics2D g, Viewport view) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < xs.length; i++) {
            if (!finite(i)) {
                continue;
            }
            double px = view.px(xs[i]);
            double py = view.py(ys[i]);
            boolean afterGap = i == 0 || !finite(i - 1);
            boolean beforeGap = i == xs.length - 1 || !finite(i + 1);
            if (afterGap && beforeGap) {
                // An isolated point (a one-epoch run, say) has no segment to show it: a dot does.
                g.fill(new Ellipse2D.Double(px - 2.5, py - 2.5, 5, 5));
            } else if (afterGap) {
                path.moveTo(px, py);
            } else {
                path.lineTo(px, py);
            }
        }
        g.setStroke(style == Style.DASHED ? DASHED : SOLID);
        g.draw(path);
    }

    private void drawPoints(Graphics2D g, Viewport view) {
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < xs.length; i++) {
            if (finite(i) && style == Style.DOTS) {
                g.fill(new Rectangle2D.Double(view.px(xs[i]) - 1, view.py(ys[i]) - 1, 2, 2));
            } else if (finite(i)) {
                Shape shape = Palette.marker(marker, view.px(xs[i]), view.py(ys[i]), MARKER_SIZE);
                g.setColor(color);
                g.fill(shape);
                g.setColor(outline);
                g.draw(shape);
            }
        }
    }

    /** How much of this series {@code box} (in pixels) would hide: points inside it, segments crossing it. */
    int hiddenBy(Rectangle2D box, Viewport view) {
        int hidden = 0;
        double previousX = Double.NaN;
        double previousY = Double.NaN;
        for (int i = 0; i < xs.length; i++) {
            if (!finite(i)) {
                previousX = Double.NaN;
                continue;
            }
            double px = view.px(xs[i]);
            double py = view.py(ys[i]);
            boolean segment = !isScatter() && !Double.isNaN(previousX);
            if (segment ? box.intersectsLine(previousX, previousY, px, py) : box.contains(px, py)) {
                hidden++;
            }
            previousX = px;
            previousY = py;
        }
        return hidden;
    }

    /** This series' row in the legend, or null without a label. */
    Legend.Entry legendEntry() {
        if (label == null || label.isBlank()) {
            return null;
        }
        BasicStroke stroke = switch (style) {
            case LINE -> SOLID;
            case DASHED -> DASHED;
            case SCATTER, DOTS -> null;
        };
        return new Legend.Entry(label, color, stroke, marker, outline);
    }

    boolean finite(int i) {
        return Double.isFinite(xs[i]) && Double.isFinite(ys[i]);
    }
}

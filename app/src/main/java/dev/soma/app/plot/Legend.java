package dev.soma.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The key of a chart's labelled series: a box with one row per series, in the corner of the plot
 * area that hides the least data (top-right, top-left, bottom-right, bottom-left on ties).
 */
final class Legend {

    /**
     * One row: a line sample drawn with {@code stroke}, or (stroke null) marker number {@code marker}
     * filled with {@code color} and outlined with {@code outline}.
     */
    record Entry(String label, Color color, BasicStroke stroke, int marker, Color outline) {}

    private static final int INSET = 8;
    private static final int PAD = 7;
    private static final int SAMPLE = 26;
    private static final int GAP = 6;

    private Legend() {}

    /**
     * Draws the legend into {@code area}, nothing when there are no entries; {@code crowding} counts
     * the data a candidate box would hide.
     */
    static void draw(Graphics2D g, Rectangle area, List<Entry> entries, ToIntFunction<Rectangle2D> crowding) {
        if (entries.isEmpty()) {
            return;
        }
        g.setFont(Canvas.TICK);
        int labelWidth = 0;
        for (Entry e : entries) {
            labelWidth = Math.max(labelWidth, g.getFontMetrics().stringWidth(e.label()));
        }
        int row = Canvas.lineHeight(g, Canvas.TICK) + 4;
        double width = PAD + SAMPLE + GAP + labelWidth + PAD;
        double height = 2 * PAD + entries.size() * row - 4;
        double right = area.getMaxX() - INSET - width;
        double bottom = area.getMaxY() - INSET - height;
        double[][] corners = {{right, area.y + INSET}, {area.x + INSET, area.y + INSET}, {right, bottom}, {area.x + INSET, bottom}};
        double left = corners[0][0];
        double top = corners[0][1];
        int least = Integer.MAX_VALUE;
        for (double[] corner : corners) {
            int hidden = crowding.applyAsInt(new Rectangle2D.Double(corner[0], corner[1], width, height));
            if (hidden < least) {
                least = hidden;
                left = corner[0];
                top = corner[1];
            }
        }
        Shape box = new RoundRectangle2D.Double(left, top, width, height, 8, 8);
        g.setColor(new Color(255, 255, 255, 225));
        g.fill(box);
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0, 0, 0, 70));
        g.draw(box);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            double centreY = top + PAD + i * row + (row - 4) / 2.0;
            double sampleX = left + PAD;
            if (e.stroke() != null) {
                g.setColor(e.color());
                g.setStroke(e.stroke());
                g.draw(new Line2D.Double(sampleX, centreY, sampleX + SAMPLE, centreY));
            } else {
                Shape marker = Palette.marker(e.marker(), sampleX + SAMPLE / 2.0, centreY, 8);
                g.setStroke(new BasicStroke(1f));
                g.setColor(e.color());
                g.fill(marker);
                g.setColor(e.outline());
                g.draw(marker);
            }
            g.setColor(Palette.TEXT);
            Canvas.text(g, e.label(), sampleX + SAMPLE + GAP, centreY, 0, 0.5);
        }
    }
}

package dev.soma.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.RoundRectangle2D;

/**
 * A marked point: a ring at (x, y) and, if {@code text} is not empty, the text on a light box
 * beside it, above and to the right unless that would leave the plot area. Skipped if not finite.
 */
record Annotation(double x, double y, String text) {

    private static final int OFFSET = 8;

    boolean finite() {
        return Double.isFinite(x) && Double.isFinite(y);
    }

    void draw(Graphics2D g, Viewport view) {
        if (!finite()) {
            return;
        }
        double px = view.px(x);
        double py = view.py(y);
        Shape ring = Palette.marker(0, px, py, 10);
        g.setStroke(new BasicStroke(3f));
        g.setColor(Color.WHITE);
        g.draw(ring);
        g.setStroke(new BasicStroke(1.5f));
        g.setColor(Palette.TEXT);
        g.draw(ring);
        if (text.isEmpty()) {
            return;
        }
        Rectangle area = view.area();
        g.setFont(Canvas.TICK);
        int width = g.getFontMetrics().stringWidth(text) + 6;
        int height = Canvas.lineHeight(g, Canvas.TICK) + 2;
        double left = px + OFFSET + width > area.getMaxX() ? px - OFFSET - width : px + OFFSET;
        double top = py - OFFSET - height < area.y ? py + OFFSET : py - OFFSET - height;
        g.setColor(new Color(255, 255, 255, 210));
        g.fill(new RoundRectangle2D.Double(left, top, width, height, 6, 6));
        g.setColor(Palette.TEXT);
        Canvas.text(g, text, left + 3, top + 1, 0, 0);
    }
}

package dev.soma.app.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** What charts and figures share to draw: a blank image, its graphics with our hints, and text placement. */
final class Canvas {

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Canvas() {}

    /** A white opaque RGB image; the size must be at least 1 × 1. */
    static BufferedImage blank(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1×1, got " + width + "×" + height);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** Graphics for {@code image} with antialiased shapes and text; the caller disposes it. */
    static Graphics2D open(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    /**
     * Draws {@code text} in the current font and colour so that the point (x, y) sits at fraction
     * ({@code alignX}, {@code alignY}) of its box: (0, 0) is the top-left corner, (0.5, 0.5) the centre,
     * (1, 1) the bottom-right.
     */
    static void text(Graphics2D g, String text, double x, double y, double alignX, double alignY) {
        FontMetrics metrics = g.getFontMetrics();
        double width = metrics.stringWidth(text);
        double height = metrics.getAscent() + metrics.getDescent();
        g.drawString(text, (float) (x - width * alignX), (float) (y - height * alignY + metrics.getAscent()));
    }

    /** Height of a line of text in {@code font}. */
    static int lineHeight(Graphics2D g, Font font) {
        FontMetrics metrics = g.getFontMetrics(font);
        return metrics.getAscent() + metrics.getDescent();
    }
}

package dev.soma.app.plot;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * Colours and marker shapes. Series colours are Okabe and Ito's palette, which stays distinct under
 * the common colour-vision deficiencies (Okabe and Ito, "Color Universal Design", 2002); yellow is
 * left out, too faint on white. Class k of a classifier gets colour k and marker k, and the heatmap's
 * two ends are lightened colours 0 and 1, so points sit on a background of their own hue.
 */
final class Palette {

    /** Blue, vermillion, bluish green, reddish purple, orange, sky blue, black. */
    static final Color[] SERIES = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000),
    };

    /** The heatmap's colour at 0, 0.5 and 1. */
    static final Color LOW = lighten(SERIES[0], 0.45);
    static final Color MIDDLE = Color.WHITE;
    static final Color HIGH = lighten(SERIES[1], 0.45);

    static final Color TEXT = new Color(0x222222);
    static final Color AXIS = new Color(0x555555);
    static final Color GRID = new Color(0, 0, 0, 28);
    static final Color CONTOUR = new Color(0x333333);

    private Palette() {}

    static Color series(int index) {
        return SERIES[Math.floorMod(index, SERIES.length)];
    }

    /**
     * The diverging map: {@code t} in [0, 1] (clamped) goes linearly from {@link #LOW} through
     * {@link #MIDDLE} at 0.5 to {@link #HIGH}; returned as packed RGB.
     */
    static int diverging(double t) {
        double u = Math.clamp(t, 0.0, 1.0);
        return u < 0.5 ? mix(LOW, MIDDLE, u * 2) : mix(MIDDLE, HIGH, u * 2 - 1);
    }

    /** {@code c} moved a fraction {@code amount} of the way to white. */
    static Color lighten(Color c, double amount) {
        return new Color(mix(c, Color.WHITE, amount));
    }

    private static int mix(Color a, Color b, double t) {
        int r = (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t);
        int g = (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t);
        int bl = (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t);
        return (r << 16) | (g << 8) | bl;
    }

    /** Marker {@code index} (circle, square, triangle up, diamond, triangle down, cycling), centred at (x, y). */
    static Shape marker(int index, double x, double y, double size) {
        double h = size / 2;
        return switch (Math.floorMod(index, 5)) {
            case 0 -> new Ellipse2D.Double(x - h, y - h, size, size);
            case 1 -> new Rectangle2D.Double(x - h * 0.9, y - h * 0.9, size * 0.9, size * 0.9);
            case 2 -> polygon(x, y - h * 1.15, x + h * 1.1, y + h * 0.85, x - h * 1.1, y + h * 0.85);
            case 3 -> polygon(x, y - h * 1.2, x + h * 1.2, y, x, y + h * 1.2, x - h * 1.2, y);
            default -> polygon(x, y + h * 1.15, x + h * 1.1, y - h * 0.85, x - h * 1.1, y - h * 0.85);
        };
    }

    private static Shape polygon(double... xy) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            path.lineTo(xy[i], xy[i + 1]);
        }
        path.closePath();
        return path;
    }
}

package dev.soma.app.plot;

import java.awt.Rectangle;

/**
 * The map from data coordinates to pixels: the data rectangle [xMin, xMax] × [yMin, yMax] fills
 * {@code area}, with y growing upwards on screen as in data.
 *
 * <pre>
 *   px(x) = area.x + (x − xMin) / (xMax − xMin) · area.width
 *   py(y) = area.y + area.height − (y − yMin) / (yMax − yMin) · area.height
 * </pre>
 *
 * Both are clamped to ±10⁶ pixels, where Java2D's geometry stays well behaved, for points far off
 * the panel.
 */
record Viewport(double xMin, double xMax, double yMin, double yMax, Rectangle area) {

    private static final double FAR = 1e6;

    double px(double x) {
        return Math.clamp(area.x + (x - xMin) / (xMax - xMin) * area.width, -FAR, FAR);
    }

    double py(double y) {
        return Math.clamp(area.y + area.height - (y - yMin) / (yMax - yMin) * area.height, -FAR, FAR);
    }

    /** The data x at the centre of pixel column {@code column} (counted from the area's left edge). */
    double dataX(int column) {
        return xMin + (column + 0.5) / area.width * (xMax - xMin);
    }

    /** The data y at the centre of pixel row {@code row} (counted from the area's top edge). */
    double dataY(int row) {
        return yMax - (row + 0.5) / area.height * (yMax - yMin);
    }
}

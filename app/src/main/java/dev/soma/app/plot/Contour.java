package dev.soma.app.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Marching squares: the line where a gridded function crosses a level, as straight segments.
 *
 * <p>The grid is the heatmap's: {@code values[row][col]} is the function at
 * {@code (xMin + col·dx, yMin + row·dy)}, {@code dx = (xMax − xMin)/(cols − 1)},
 * {@code dy = (yMax − yMin)/(rows − 1)}. In each cell, a corner is "in" when its value is ≥ the
 * level; on every edge whose two corners differ the crossing is placed by linear interpolation,
 * and the crossings are joined so that they cut the "in" corners from the others. A cell with four
 * crossings (a saddle) is resolved by the mean of its corners, which decides whether its centre is
 * in. Cells touching a NaN are skipped. Reference: Lorensen and Cline, "Marching Cubes", 1987.
 */
final class Contour {

    private static final int BOTTOM = 0;
    private static final int RIGHT = 1;
    private static final int TOP = 2;
    private static final int LEFT = 3;

    private Contour() {}

    /** The level line's segments, each {@code {x1, y1, x2, y2}} in data coordinates; values not modified. */
    static List<double[]> segments(double[][] values, double level, double xMin, double xMax, double yMin, double yMax) {
        List<double[]> segments = new ArrayList<>();
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        if (rows < 2 || cols < 2) {
            return segments;
        }
        double dx = (xMax - xMin) / (cols - 1);
        double dy = (yMax - yMin) / (rows - 1);
        for (int r = 0; r + 1 < rows; r++) {
            for (int c = 0; c + 1 < cols; c++) {
                double bottomLeft = values[r][c];
                double bottomRight = values[r][c + 1];
                double topRight = values[r + 1][c + 1];
                double topLeft = values[r + 1][c];
                if (Double.isNaN(bottomLeft + bottomRight + topRight + topLeft)) {
                    continue;
                }
                double x0 = xMin + c * dx;
                double y0 = yMin + r * dy;
                // Crossing on each edge as {x, y}, or null; edges go left to right and bottom to top.
                double[][] crossing = new double[4][];
                crossing[BOTTOM] = cross(bottomLeft, bottomRight, level, x0, y0, dx, 0);
                crossing[RIGHT] = cross(bottomRight, topRight, level, x0 + dx, y0, 0, dy);
                crossing[TOP] = cross(topLeft, topRight, level, x0, y0 + dy, dx, 0);
                crossing[LEFT] = cross(bottomLeft, topLeft, level, x0, y0, 0, dy);
                List<double[]> found = new ArrayList<>(4);
                for (double[] point : crossing) {
                    if (point != null) {
                        found.add(point);
                    }
                }
                if (found.size() == 2) {
                    segments.add(join(found.get(0), found.get(1)));
                } else if (found.size() == 4) {
                    // Saddle: cut off the two corners that differ from the centre.
                    boolean centreIn = (bottomLeft + bottomRight + topRight + topLeft) / 4 >= level;
                    if ((bottomLeft >= level) != centreIn) {
                        segments.add(join(crossing[BOTTOM], crossing[LEFT]));
                        segments.add(join(crossing[RIGHT], crossing[TOP]));
                    } else {
                        segments.add(join(crossing[BOTTOM], crossing[RIGHT]));
                        segments.add(join(crossing[LEFT], crossing[TOP]));
                    }
                }
            }
        }
        return segments;
    }

    /** Where the edge from (x, y) with value a to (x + dx, y + dy) with value b crosses the level. */
    private static double[] cross(double a, double b, double level, double x, double y, double dx, double dy) {
        if ((a >= level) == (b >= level)) {
            return null;
        }
        double t = (level - a) / (b - a);
        return new double[] {x + t * dx, y + t * dy};
    }

    private static double[] join(double[] p, double[] q) {
        return new double[] {p[0], p[1], q[0], q[1]};
    }
}

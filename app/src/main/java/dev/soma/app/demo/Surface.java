package dev.soma.app.demo;

import dev.soma.nn.Module;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.function.UnaryOperator;

/** A model's output over a grid of the plane, for pictures of decision surfaces. */
final class Surface {

    static final int RESOLUTION = 120;

    private Surface() {
    }

    /**
     * {@code values[row][col]} = the model's output at {@code (x, y)}, row 0 at {@code min} of y, col 0
     * at {@code min} of x, after {@code toUnit} maps it into [0, 1].
     */
    static double[][] of(Module model, double min, double max, UnaryOperator<Tensor> toUnit) {
        float[] points = new float[RESOLUTION * RESOLUTION * 2];
        for (int row = 0; row < RESOLUTION; row++) {
            for (int col = 0; col < RESOLUTION; col++) {
                int i = (row * RESOLUTION + col) * 2;
                points[i] = (float) (min + (max - min) * col / (RESOLUTION - 1));
                points[i + 1] = (float) (min + (max - min) * row / (RESOLUTION - 1));
            }
        }
        float[] out;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad scope = NoGrad.enter()) {
            out = toUnit.apply(model.forward(Tensor.of(points, RESOLUTION * RESOLUTION, 2))).toArray();
        } finally {
            model.train(wasTraining);
        }
        double[][] values = new double[RESOLUTION][RESOLUTION];
        for (int row = 0; row < RESOLUTION; row++) {
            for (int col = 0; col < RESOLUTION; col++) {
                values[row][col] = out[row * RESOLUTION + col];
            }
        }
        return values;
    }
}

package dev.soma.playground;

/**
 * How the network does now, on the training points and on the test points. For regression the
 * accuracies are NaN and the confusion matrix is empty.
 *
 * @param trainLoss mean loss over the training points (without the L1/L2 term)
 * @param testLoss mean loss over the test points (NaN when there are none)
 * @param trainAccuracy share of training points whose most likely class is their label
 * @param testAccuracy the same over the test points
 * @param confusion over the test points: {@code confusion[actual][predicted]} counts
 */
public record Evaluation(double trainLoss, double testLoss, double trainAccuracy, double testAccuracy, int[][] confusion) {

    static Evaluation of(Session session, float[] trainInputs, float[] trainTargets, int trainCount,
            float[] testInputs, float[] testTargets, int testCount) {
        float[] trainOutputs = session.outputs(trainInputs, trainCount);
        float[] testOutputs = session.outputs(testInputs, testCount);
        int classes = session.classes();
        int[][] confusion = new int[classes][classes];
        double trainAccuracy = accuracy(trainOutputs, trainTargets, trainCount, classes, null);
        double testAccuracy = accuracy(testOutputs, testTargets, testCount, classes, confusion);
        return new Evaluation(session.meanLoss(trainOutputs, trainTargets, trainCount),
                session.meanLoss(testOutputs, testTargets, testCount), trainAccuracy, testAccuracy, confusion);
    }

    /**
     * The predicted class of row {@code row}: for one output (a logit z), 1 when z > 0 (σ(z) > ½);
     * for several, the index of the largest.
     */
    static int predicted(float[] outputs, int row, int classes) {
        if (classes == 2) {
            return outputs[row] > 0 ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (outputs[row * classes + k] > outputs[row * classes + best]) {
                best = k;
            }
        }
        return best;
    }

    private static double accuracy(float[] outputs, float[] targets, int count, int classes, int[][] confusion) {
        if (classes == 0 || count == 0) {
            return Double.NaN;
        }
        int right = 0;
        for (int i = 0; i < count; i++) {
            int actual = (int) targets[i];
            int guess = predicted(outputs, i, classes);
            if (guess == actual) {
                right++;
            }
            if (confusion != null) {
                confusion[actual][guess]++;
            }
        }
        return (double) right / count;
    }
}

package dev.soma.playground;

/**
 * One point of a session's data: its coordinates, its label (a class 0, 1, … for classification, a
 * number in about [-1, 1] for regression) and whether it is in the training set or the test set.
 */
public record Point(float x1, float x2, float label, boolean train) {

    Point withTrain(boolean train) {
        return new Point(x1, x2, label, train);
    }
}

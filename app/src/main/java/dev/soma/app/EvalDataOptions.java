package dev.soma.app;

import picocli.CommandLine.Option;

/**
 * The data options of {@code soma eval}: {@code --data} may be left out, and then it, {@code --channels}
 * and {@code --image-size} are those the model file records ({@code soma.input}).
 */
final class EvalDataOptions extends DataSettings {

    @Option(names = "--data", paramLabel = "NAME|DIR",
            description = "fashion-mnist, mnist, a toy set (and, or, xor, circle, spiral, gaussians, moons),"
                    + " or a folder of images with one subfolder per class (default: the data the model"
                    + " was trained on, if its file says).")
    String data;

    @Override
    String data() {
        return data;
    }

    @Override
    boolean needsTrainingSet() {
        return false;
    }
}

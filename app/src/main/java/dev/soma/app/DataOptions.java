package dev.soma.app;

import picocli.CommandLine.Option;

/** The data options of {@code soma train}: {@code --data} is required. */
final class DataOptions extends DataSettings {

    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "fashion-mnist, mnist, a toy set (and, or, xor, circle, spiral, gaussians, moons),"
                    + " or a folder of images with one subfolder per class.")
    String data;

    @Override
    String data() {
        return data;
    }
}

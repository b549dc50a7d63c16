package dev.soma.app;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The data options of {@code soma train} (and {@code soma spike convert}): {@code --data} is required. */
final class DataOptions extends DataSettings {

    // NOTE: checked in code, not by picocli, so that soma train --resume can do without it.
    @Option(names = "--data", paramLabel = "NAME|DIR",
            description = "fashion-mnist, mnist, a toy set (and, or, xor, circle, spiral, gaussians, moons),"
                    + " or a folder of images with one subfolder per class.")
    String data;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Override
    String data() {
        if (data == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--data=NAME|DIR'");
        }
        return data;
    }
}

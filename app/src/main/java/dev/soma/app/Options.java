package dev.soma.app;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values that several commands share; each failure is a usage error naming the flag. */
final class Options {

    private Options() {
    }

    /** {@code --plot} must name a PNG file (or be absent). */
    static void requirePng(CommandSpec spec, Path plot) {
        if (plot != null && !plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new ParameterException(spec.commandLine(), "--plot: expected a .png file name, got '" + plot + "'");
        }
    }
}

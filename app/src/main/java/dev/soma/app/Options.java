package dev.soma.app;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options several commands share, each a picocli mixin ({@code @Mixin Options.Seed seed;}) with
 * its name, value label, default and checks written once. Where a command's help says more than the
 * text here (what its seed draws, what its picture shows), {@link HelpTexts} holds that command's text.
 * {@code --data} and the options that go with it are {@link DataOptions}.
 */
final class Options {

    private Options() {
    }

    /** {@code --seed S}: the seed of everything random the command does. */
    static final class Seed {

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
                description = "Seed of every random number (default: ${DEFAULT-VALUE}).")
        long value;
    }

    /** {@code --json}: one JSON object as the last line of standard output. */
    static final class Json {

        @Option(names = "--json", description = "Print one JSON object with the results as the last line.")
        boolean enabled;
    }

    /** {@code --plot FILE.png}: where to save the command's picture, if anywhere. */
    static final class Plot {

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(names = "--plot", paramLabel = "FILE.png", description = "Save a picture here.")
        Path file;

        /** Rejects a file name that does not end in {@code .png} (any case); nothing to check without {@code --plot}. */
        void check() {
            if (file != null && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
                throw new ParameterException(command.commandLine(), "--plot: expected a .png file name, got '" + file + "'");
            }
        }
    }
}

package dev.soma.app;

import java.io.IOException;
import java.nio.file.Files;
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

    /**
     * {@code --no-invert}: keep every picture as it is, even one whose background is clearly the
     * opposite of the training pictures' ({@link dev.soma.data.Background#opposedBy}).
     */
    static final class Invert {

        @Option(names = "--no-invert", description = "Never invert a picture whose background differs from the training data's.")
        boolean never;

        /** Whether pictures of the opposite background are inverted (no {@code --no-invert}). */
        boolean enabled() {
            return !never;
        }
    }

    /** {@code --plot FILE.png}: where to save the command's picture, if anywhere. */
    static final class Plot {

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(names = "--plot", paramLabel = "FILE.png", description = "Save a picture here.")
        Path file;

        /**
         * Rejects a file name that does not end in {@code .png} (any case) and a destination that cannot
         * be written ({@link #checkDestination}); nothing to check without {@code --plot}.
         */
        void check() {
            if (file != null && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
                throw new ParameterException(command.commandLine(), "--plot: expected a .png file name, got '" + file + "'");
            }
            checkDestination(command, "--plot", file);
        }
    }

    /** {@code --record FILE.json}: a spiking command's recording (spikes, membrane traces, rates) as JSON. */
    static final class Record {

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(names = "--record", paramLabel = "FILE.json",
                description = "Save the spikes, membrane traces and rates here as JSON.")
        Path file;

        /** Rejects a name not ending in {@code .json} and a destination that cannot be written. */
        void check() {
            if (file != null && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                throw new ParameterException(command.commandLine(), "--record: expected a .json file name, got '"
                        + file + "'");
            }
            checkDestination(command, "--record", file);
        }
    }

    /**
     * Checks, before any work, that {@code file} (the value of {@code option}; null: nothing to check)
     * can be written when the work is done: it is not a folder, and its folder exists (it is made here
     * if it does not) and is writable. A run that would fail at its last step fails at its first.
     *
     * @throws ParameterException naming the option, the path and what is wrong
     */
    static void checkDestination(CommandSpec command, String option, Path file) {
        if (file == null) {
            return;
        }
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new ParameterException(command.commandLine(), option + ": '" + file + "' is a folder, not a file");
        }
        Path folder = absolute.getParent();
        try {
            Files.createDirectories(folder);
        } catch (java.nio.file.FileAlreadyExistsException e) { // a file where a folder should be
            throw new ParameterException(command.commandLine(), option + ": cannot make the folder of '" + file + "' ("
                    + e.getFile() + " is a file, not a folder)");
        } catch (IOException | SecurityException e) {
            throw new ParameterException(command.commandLine(), option + ": cannot make the folder of '" + file + "' ("
                    + Errors.describe(e) + ")");
        }
        if (!Files.isWritable(folder)) {
            throw new ParameterException(command.commandLine(), option + ": cannot write in " + folder
                    + " (permission denied)");
        }
    }
}

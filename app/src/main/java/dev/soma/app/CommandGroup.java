package dev.soma.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code soma}, {@code soma spike}, {@code soma spark}):
 * called alone, it prints its usage on standard output and succeeds.
 */
abstract class CommandGroup implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The usage, on stdout. */
    @Override
    public final Integer call() {
        CommandLine cmd = spec.commandLine();
        cmd.usage(cmd.getOut());
        return 0;
    }
}

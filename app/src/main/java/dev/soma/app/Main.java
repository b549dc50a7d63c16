package dev.soma.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code soma} command. Each subcommand is a class of its own, listed in {@code subcommands}
 * below; this class only holds what is common to all of them.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails (see {@link Errors}), 2 on a usage mistake
 * such as an unknown option.
 */
@Command(
        name = "soma",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "Neural networks in pure Java.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            InfoCommand.class,
            BenchCommand.class,
            PlaygroundCommand.class,
        })
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Read by {@link Errors} from the parse result, so it works before or after a subcommand. */
    @Option(
            names = "--debug",
            scope = ScopeType.INHERIT,
            description = "When a command fails, show the full stack trace.")
    boolean debug;

    public static void main(String[] args) {
        OldGenLimit.install();
        System.exit(commandLine().execute(args));
    }

    /** The {@code soma} command line with Soma's error handling; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        Errors.install(cmd);
        return cmd;
    }

    /** {@code soma} alone: the usage, on stdout. */
    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        cmd.usage(cmd.getOut());
        return 0;
    }
}

package dev.soma.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code soma} command. Each subcommand is a class of its own, listed in {@link #SUBCOMMANDS};
 * this class only holds what is common to all of them.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails (see {@link Errors}), 2 on a usage mistake
 * such as an unknown option.
 */
@Command(
        name = "soma",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "Neural networks in pure Java.",
        resourceBundle = "dev.soma.app.HelpTexts")
public final class Main extends CommandGroup {

    /** The subcommands, in the order {@code soma --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            InfoCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            SpikeCommand.class,
            SparkCommand.class,
            PlaygroundCommand.class);

    /** Read by {@link Errors} from the parse result, so it works before or after a subcommand. */
    @Option(
            names = "--debug",
            scope = ScopeType.INHERIT,
            description = "When a command fails, show the full stack trace.")
    boolean debug;

    public static void main(String[] args) {
        OldGenLimit.install();
        int code;
        try {
            code = commandLine(args).execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println(outOfMemory(e, Runtime.getRuntime().maxMemory()));
            code = 1;
        }
        System.exit(checkOutput(code, System.out, System.err));
    }

    /**
     * The one line for a run that ran out of memory: the heap the JVM was allowed, and how to allow
     * more, instead of a stack trace ({@code maxHeap}: {@link Runtime#maxMemory}, in bytes).
     */
    static String outOfMemory(OutOfMemoryError e, long maxHeap) {
        long mib = maxHeap / (1024 * 1024);
        long suggestion = Math.max(1, Math.ceilDiv(2 * mib, 1024));
        return "soma: out of memory (" + (e.getMessage() == null ? "no detail" : e.getMessage()) + ") with a heap limit of "
                + mib + " MiB; allow more with SOMA_JAVA_OPTS=-Xmx" + suggestion + "g, or use a smaller --batch or model";
    }

    /**
     * The exit code of a run that printed to {@code out}: {@code code}, or 1 when some output was lost
     * (standard output closed, a full disk, a pipe whose reader quit), which a print stream does not
     * throw but only records, so that a script never takes a truncated result for a success.
     */
    static int checkOutput(int code, PrintStream out, PrintStream err) {
        if (!out.checkError()) {
            return code;
        }
        err.println("soma: could not write the output: standard output is closed or full");
        err.flush();
        return code == 0 ? 1 : code;
    }

    /** The {@code soma} command line with every subcommand and Soma's error handling; tests run it in-process. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * The command line that runs {@code args}: when they name a subcommand, only that one is built.
     * Picocli reads every option of every command it is given by reflection, before parsing, and in
     * a fresh JVM that is most of a short command's time; the whole tree is still built for
     * {@code soma} alone, {@code --help}, {@code help}, and a name that is no command (so the error can
     * suggest the nearest one).
     */
    static CommandLine commandLine(String... args) {
        String name = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        List<Class<?>> named = SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(name))
                .toList();
        return commandLine(named.isEmpty() ? SUBCOMMANDS : named);
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cmd = new CommandLine(new Main());
        for (Class<?> subcommand : subcommands) {
            cmd.addSubcommand(subcommand);
        }
        Errors.install(cmd);
        return cmd;
    }
}

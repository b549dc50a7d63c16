package dev.soma.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.kernel.Kernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;

/** Runs {@link Main}'s command line in-process and checks what it prints and returns. */
class MainTest {

    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @Command(name = "boom", description = "Fails, for tests.")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            throw new IllegalStateException("the model has no layers");
        }
    }

    @Command(name = "missing", description = "Fails with an I/O error, for tests.")
    static final class Missing implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            throw new NoSuchFileException("weights.bin");
        }
    }

    private static Run run(String... args) {
        return run(Main.commandLine(args), args);
    }

    private static Run run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run runWithTestCommands(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.addSubcommand(new Boom());
        cmd.addSubcommand(new Missing());
        return run(cmd, args);
    }

    @Test
    void versionPrintsTheVersionKernelsGemmJavaAndThreads() {
        Run r = run("--version");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).matches("soma \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines.get(0));
        assertTrue(lines.get(1).startsWith("kernels: "), lines.get(1));
        assertFalse(lines.get(1).contains("unavailable"), lines.get(1));
        assertEquals("gemm: " + Kernels.gemmChoice(), lines.get(2));
        assertTrue(lines.get(3).startsWith("java: " + Runtime.version()), lines.get(3));
        assertTrue(lines.get(4).matches("threads: \\d+.*"), lines.get(4));
        assertEquals("", r.err());
    }

    /**
     * Every command's description prints as written: each line fits the help's width, so picocli
     * does not break a sentence (or an example's file name) across lines, and its first line is a whole
     * sentence, which {@code soma --help} lists as the command's summary. (Not picocli's own
     * {@code help} command.)
     */
    @Test
    void everyCommandsHelpKeepsItsDescriptionLinesWhole() {
        CommandLine soma = Main.commandLine();
        String listed = run("--help").out();
        for (CommandLine command : soma.getSubcommands().values()) {
            if (command.getCommand() instanceof CommandLine.HelpCommand) {
                continue; // picocli's own
            }
            String name = command.getCommandName();
            String[] description = command.getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, name);
            assertTrue(description[0].endsWith("."), name + ": the summary is not a sentence: " + description[0]);
            int width = command.getCommandSpec().usageMessage().width();
            List<String> help = run("help", name).out().lines().toList();
            for (String line : description) {
                assertTrue(line.length() <= width, name + ": " + line.length() + " > " + width + ": " + line);
                assertTrue(help.contains(line), name + ": not printed whole: " + line);
            }
            // the list indents summaries, so a long one wraps there: its start is what must be whole
            assertTrue(listed.contains(description[0].substring(0, Math.min(40, description[0].length()))), name);
        }
    }

    @Test
    void unknownOptionIsOneClearLineAndAHintWithExitCode2() {
        Run r = run("--bogus");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertEquals(
                List.of("soma: Unknown option: '--bogus'", "Try 'soma --help' for more information."),
                r.errLines());
    }

    @Test
    void unknownCommandIsAUsageMistake() {
        Run r = run("fly");
        assertEquals(2, r.exitCode());
        assertTrue(r.errLines().getFirst().startsWith("soma: "), r.err());
        assertTrue(r.err().contains("'fly'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void misspeltOptionGetsASuggestion() {
        Run r = run("--verison");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--version"), r.err());
        assertTrue(r.errLines().getLast().startsWith("Try 'soma --help'"), r.err());
    }

    @Test
    void helpPrintsUsageAndExits0() {
        Run r = run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("Usage: soma"), r.out());
        assertTrue(r.out().contains("--debug"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void noArgumentsPrintsUsageAndExits0() {
        Run r = run();
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("Usage: soma"), r.out());
        for (String group : List.of("spike", "spark")) {
            Run alone = run(group);
            assertEquals(0, alone.exitCode(), group);
            assertTrue(alone.out().startsWith("Usage: soma " + group), alone.out());
            assertEquals("", alone.err(), group);
        }
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuiltElseAllAre() {
        assertEquals(List.of("train"), List.copyOf(Main.commandLine("--debug", "train", "--data", "xor").getSubcommands().keySet()));
        List<String> all = List.copyOf(Main.commandLine().getSubcommands().keySet());
        assertEquals(Main.SUBCOMMANDS.size(), all.size());
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "train"},
                new String[] {"trian"})) {
            assertEquals(all, List.copyOf(Main.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
        }
        Run typo = run("trian");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("Did you mean: soma train?"), typo.err());
    }

    @Test
    void aFailingCommandPrintsItsMessageAndExits1() {
        Run r = runWithTestCommands("boom");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("soma: the model has no layers"), r.errLines());
    }

    @Test
    void ioErrorsAreDescribedForPeople() {
        Run r = runWithTestCommands("missing");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("soma: no such file or directory: weights.bin"), r.errLines());
    }

    @Test
    void debugShowsTheStackTraceBeforeOrAfterTheSubcommand() {
        for (String[] args : List.of(new String[] {"--debug", "boom"}, new String[] {"boom", "--debug"})) {
            Run r = runWithTestCommands(args);
            assertEquals(1, r.exitCode());
            assertTrue(r.err().startsWith("java.lang.IllegalStateException: the model has no layers"), r.err());
            assertTrue(r.err().contains("\tat dev.soma.app.MainTest$Boom.call"), r.err());
        }
    }

    @Test
    void describeNamesTheClassOfLikelyBugs() {
        assertEquals("bad shape", Errors.describe(new IllegalArgumentException("bad shape")));
        assertEquals("NullPointerException", Errors.describe(new NullPointerException()));
        assertEquals("ArithmeticException: / by zero", Errors.describe(new ArithmeticException("/ by zero")));
    }

    @Test
    void threadsComeFromSomaThreadsWhenValid() {
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals("3", VersionInfo.threads("3"));
        assertEquals(Integer.toString(processors), VersionInfo.threads(null));
        assertEquals(Integer.toString(processors), VersionInfo.threads(""));
        assertTrue(VersionInfo.threads("zero").startsWith(processors + " (SOMA_THREADS=\"zero\" ignored"));
        assertTrue(VersionInfo.threads("0").contains("ignored"));
    }
}

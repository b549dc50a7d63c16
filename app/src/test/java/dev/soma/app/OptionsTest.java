package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.OptionSpec;

/** The shared options: each command's help shows its own text, and --plot is checked the same everywhere. */
class OptionsTest {

    /** A command's help with its line breaks and indentation folded into single spaces. */
    private static String help(String command) {
        return succeed(command, "--help").out().replaceAll("\\s+", " ");
    }

    @Test
    void everyCommandSpecificTextIsTheOneItsHelpShows() {
        ResourceBundle texts = new HelpTexts();
        List<String> keys = Collections.list(texts.getKeys());
        assertEquals(10, keys.size(), keys::toString);
        for (String key : keys) {
            String[] parts = key.split("\\.");   // soma.COMMAND.OPTION
            assertEquals(3, parts.length, key);
            OptionSpec option = Main.commandLine().getSubcommands().get(parts[1]).getCommandSpec()
                    .findOption("--" + parts[2]);
            String expected = texts.getString(key).replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()));
            assertTrue(help(parts[1]).contains(expected), key + ": " + help(parts[1]));
        }
    }

    @Test
    void withoutACommandSpecificTextTheOptionsOwnIsShown() {
        assertTrue(help("demo").contains("--seed=S Seed of every random number (default: 0)."), help("demo"));
        assertTrue(help("train").contains("--json Print one JSON object with the results as the last line."));
        assertFalse(help("train").contains("Save a picture here."), "train's --plot fell back to the generic text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "train", "eval"})
    void plotMustNameAPngFileInEveryCommand(String command) {
        List<String> args = switch (command) {
            case "demo" -> List.of("demo", "neuron", "--plot", "out.PNG.txt");
            case "train" -> List.of("train", "--data", "xor", "--plot", "out.PNG.txt");
            default -> List.of("eval", "model.safetensors", "--data", "xor", "--plot", "out.PNG.txt");
        };
        CommandTesting.Run failed = run(args.toArray(String[]::new));
        assertUserError(failed, "--plot: expected a .png file name, got 'out.PNG.txt'");
        assertEquals(2, failed.exitCode(), failed::toString);
        assertTrue(failed.err().contains("Try 'soma " + command + " --help'"), failed::toString);
    }
}

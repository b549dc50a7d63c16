package dev.soma.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** {@code soma demo} end to end, in-process: the story, the JSON line, the pictures and the errors. */
class DemoCommandTest {

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            List<String> lines = out.lines().toList();
            return new ObjectMapper().readTree(lines.getLast());
        }
    }

    static Run run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }

    @Test
    void neuronPrintsTheArithmeticAndItsJson() throws Exception {
        Run run = run("demo", "neuron", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("z = 0.8·1.0 + (-0.4)·0.5 + 0.3·(-1.5) + 0.1 = 0.2500"), run.out());
        JsonNode json = run.json();
        assertEquals("neuron", json.get("demo").asText());
        assertEquals(0.1, json.get("bias").asDouble(), 1e-7);
        assertEquals(3, json.get("inputs").size());
        double z = 0.8 * 1.0 - 0.4 * 0.5 + 0.3 * -1.5 + 0.1;
        JsonNode outputs = json.get("outputs");
        assertEquals(Math.max(z, 0), outputs.get("relu").asDouble(), 1e-6);
        assertEquals(1 / (1 + Math.exp(-z)), outputs.get("sigmoid").asDouble(), 1e-6);
        assertEquals(Math.tanh(z), outputs.get("tanh").asDouble(), 1e-6);
    }

    @Test
    void neuronTakesItsOwnNumbers() throws Exception {
        Run run = run("demo", "neuron", "--inputs", "2,-1", "--weights", "0.5,1.5", "--bias", "-0.25", "--json");
        assertEquals(0, run.exitCode(), run.err());
        double z = 2 * 0.5 - 1 * 1.5 - 0.25;
        assertEquals(0.0, run.json().get("outputs").get("relu").asDouble(), 1e-7);
        assertEquals(Math.tanh(z), run.json().get("outputs").get("tanh").asDouble(), 1e-6);
    }

    @Test
    void andAndXorReportTheLessonsNumbers() throws Exception {
        JsonNode and = run("demo", "and", "--json").json();
        assertEquals(1.0, and.get("accuracy").asDouble());
        for (String gate : List.of("and", "or", "nand")) {
            assertEquals(1.0, and.get("gates").get(gate).get("accuracy").asDouble(), gate);
        }
        JsonNode xor = run("demo", "xor", "--json").json();
        assertTrue(xor.get("single_neuron_accuracy").asDouble() <= 0.75);
        assertEquals(1.0, xor.get("network_accuracy").asDouble());
        assertTrue(xor.get("steps").asInt() > 0);
    }

    @Test
    void theSameSeedGivesTheSameJson() {
        Run first = run("demo", "xor", "--seed", "7", "--json");
        Run second = run("demo", "xor", "--seed", "7", "--json");
        assertEquals(first.out(), second.out());
        Run other = run("demo", "xor", "--seed", "8", "--json");
        assertFalse(first.out().equals(other.out()), "seeds 7 and 8 gave identical runs");
    }

    @Test
    void plotWritesAReadablePng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("pictures/xor.png");
        Run run = run("demo", "xor", "--plot", png.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 100);
    }

    @Test
    void allDemosRunInOrderWithOneJsonLineAndOnePicturePerDemo(@TempDir Path dir) throws Exception {
        Run run = run("demo", "--json", "--plot", dir.resolve("tour.png").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode demos = run.json().get("demos");
        List<String> names = List.of("neuron", "and", "xor", "collapse", "approx", "real-vs-artificial");
        assertEquals(names.size(), demos.size());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(names.get(i), demos.get(i).get("demo").asText());
            assertTrue(Files.exists(dir.resolve("tour-" + names.get(i) + ".png")), names.get(i));
        }
    }

    @Test
    void anUnknownDemoIsOneClearLineAndExitCode2() {
        Run run = run("demo", "cats");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("soma: unknown demo 'cats' (expected one of neuron, and, xor, collapse, approx,"
                + " real-vs-artificial)"),
                run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void aBadSeedIsOneClearLineAndExitCode2() {
        Run run = run("demo", "xor", "--seed", "abc");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("soma: Invalid value for option '--seed': 'abc' is not a long"), run.err());
    }

    @Test
    void neuronFlagsAreCheckedAndNamed() {
        Run mismatched = run("demo", "neuron", "--inputs", "1,2", "--weights", "1");
        assertEquals(2, mismatched.exitCode());
        assertTrue(mismatched.err().contains("--inputs and --weights need the same number of values"), mismatched.err());
        Run elsewhere = run("demo", "xor", "--bias", "1");
        assertEquals(2, elsewhere.exitCode());
        assertTrue(elsewhere.err().contains("belong to 'soma demo neuron'"), elsewhere.err());
        Run notPng = run("demo", "xor", "--plot", "out.jpg");
        assertEquals(2, notPng.exitCode());
        assertTrue(notPng.err().contains("--plot: expected a .png file name"), notPng.err());
    }
}

package dev.soma.app;

import dev.soma.app.demo.ApproxDemo;
import dev.soma.app.demo.CollapseDemo;
import dev.soma.app.demo.Demo;
import dev.soma.app.demo.DemoContext;
import dev.soma.app.demo.GatesDemo;
import dev.soma.app.demo.NeuronDemo;
import dev.soma.app.demo.RealVsArtificialDemo;
import dev.soma.app.demo.XorDemo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soma demo [NAME]}: the lesson's tour, one demo or all of them in order. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The lesson, step by step: from one neuron to a network.",
            "One neuron, what one neuron can and cannot learn, why the non-linearity matters,",
            "how a layer of neurons approximates a function, and how real neurons differ.",
            "Without NAME, every demo runs in order.",
            "",
            "  neuron    one neuron computes y = σ(w·x + b), with the arithmetic",
            "  and       a single neuron learns AND (and OR, NAND) with the perceptron rule",
            "  xor       a single neuron cannot learn XOR; a small network can",
            "  collapse  linear layers without a non-linearity collapse into one",
            "  approx    one hidden layer approximates sin(x) (and a harder function)",
            "  real-vs-artificial  one input through an artificial and a spiking neuron:",
            "            what travels, when, threshold, weights, operations, measured",
            ""})
public final class DemoCommand implements Callable<Integer> {

    static final List<String> NAMES = List.of("neuron", "and", "xor", "collapse", "approx", "real-vs-artificial");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "neuron, and, xor, collapse, approx or real-vs-artificial")
    String name;

    // NOTE: the options that train, eval and demo share are written once, in Options; each command
    // still names the mixins it takes, so these lines repeat from command to command.
    @Mixin
    Options.Seed seed;

    @Mixin
    Options.Json json;

    @Mixin
    Options.Plot plot;

    @Option(names = "--inputs", split = ",", paramLabel = "X", description = "neuron: the inputs (default 1.0,0.5,-1.5).")
    float[] inputs;

    @Option(names = "--weights", split = ",", paramLabel = "W", description = "neuron: the weights (default 0.8,-0.4,0.3).")
    float[] weights;

    @Option(names = "--bias", paramLabel = "B", description = "neuron: the bias (default 0.1).")
    Float bias;

    @Override
    public Integer call() throws Exception {
        List<Demo> demos = selected();
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Demo demo : demos) {
            if (demos.size() > 1) {
                out.println((results.isEmpty() ? "" : "\n") + "== soma demo " + demo.name() + ": " + demo.summary() + " ==");
            }
            Path picture = plot.file == null || demos.size() == 1 ? plot.file : perDemo(plot.file, demo.name());
            results.add(demo.run(new DemoContext(seed.value, out, picture)));
            out.flush();
        }
        if (json.enabled) {
            Object document = results.size() == 1 ? results.getFirst() : Map.of("demos", results);
            out.println(Json.line(document));
        }
        out.flush();
        return 0;
    }

    private List<Demo> selected() {
        plot.check();
        if (name != null && !NAMES.contains(name)) {
            throw new ParameterException(spec.commandLine(), "unknown demo '" + name
                    + "' (expected one of " + String.join(", ", NAMES) + ")");
        }
        boolean neuronFlags = inputs != null || weights != null || bias != null;
        if (neuronFlags && !"neuron".equals(name)) {
            throw new ParameterException(spec.commandLine(), "--inputs, --weights and --bias belong to 'soma demo neuron'");
        }
        List<Demo> all = new ArrayList<>();
        for (String n : NAMES) {
            if (name == null || name.equals(n)) {
                all.add(create(n));
            }
        }
        return all;
    }

    private Demo create(String demo) {
        return switch (demo) {
            case "neuron" -> neuron();
            case "and" -> new GatesDemo();
            case "xor" -> new XorDemo();
            case "collapse" -> new CollapseDemo();
            case "approx" -> new ApproxDemo();
            case "real-vs-artificial" -> new RealVsArtificialDemo();
            default -> throw new IllegalStateException("no demo " + demo);
        };
    }

    private Demo neuron() {
        float[] x = inputs != null ? inputs : (weights != null ? null : NeuronDemo.DEFAULT_INPUTS);
        float[] w = weights != null ? weights : (inputs != null ? null : NeuronDemo.DEFAULT_WEIGHTS);
        if (x == null || w == null) {
            throw new ParameterException(spec.commandLine(), "--inputs and --weights go together (give both)");
        }
        try {
            return new NeuronDemo(x, w, bias != null ? bias : NeuronDemo.DEFAULT_BIAS);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code pictures/out.png} → {@code pictures/out-xor.png}. */
    static Path perDemo(Path plot, String demo) {
        String file = plot.getFileName().toString();
        String stem = file.substring(0, file.length() - ".png".length());
        return plot.resolveSibling(stem + "-" + demo + ".png");
    }
}

package dev.soma.app;

import dev.soma.io.ModelFile;
import dev.soma.io.ModelSpecJson;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.io.Safetensors;
import dev.soma.io.SafetensorsHeader;
import dev.soma.io.TensorInfo;
import dev.soma.nn.ModelSpec;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soma info}: what a safetensors file holds, without loading its weights. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a safetensors file holds.",
            "Its architecture (for Soma models), parameter count, metadata and tensors."})
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.safetensors", description = "Any safetensors file.")
    Path file;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SafetensorsHeader header = Safetensors.readHeader(file);
        long parameters = 0;
        for (TensorInfo tensor : header.tensors().values()) {
            parameters += tensor.numel();
        }
        String specJson = header.metadata().get(ModelFile.SPEC_KEY);
        String input = specJson == null ? null : PreprocessingJson.toJson(preprocessing(header.metadata(),
                ModelSpecJson.fromJson(specJson)));
        out.println(file);
        if (specJson != null) {
            ModelSpec modelSpec = ModelSpecJson.fromJson(specJson);
            out.println("Architecture (input " + Shape.format(modelSpec.input()) + "):");
            out.println("  " + modelSpec.build(new Generator(0)).toString().replace("\n", "\n  "));
            out.println("Input: " + describe(header.metadata(), modelSpec));
        } else {
            out.println("No Soma architecture in its metadata (not written by soma train).");
        }
        out.printf(Locale.ROOT, "Parameters and buffers: %,d numbers in %d tensors%n", parameters, header.tensors().size());
        header.metadata().forEach((key, value) -> {
            if (!key.equals(ModelFile.SPEC_KEY) && !key.equals(Preprocessing.KEY)) {
                out.println("  " + key + ": " + value);
            }
        });
        out.println("Tensors:");
        int width = header.tensors().keySet().stream().mapToInt(String::length).max().orElse(4);
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (TensorInfo tensor : header.tensors().values()) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %-4s  %s%n", tensor.name(), tensor.dtype(), Shape.format(tensor.shape()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", tensor.name());
            entry.put("dtype", tensor.dtype());
            entry.put("shape", tensor.shape());
            tensors.add(entry);
        }
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("file", file.toString());
            result.put("parameters", parameters);
            result.put("spec", specJson == null ? null : Json.tree(specJson));
            result.put("input", input == null ? null : Json.tree(input));
            result.put("metadata", header.metadata());
            result.put("tensors", tensors);
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    /** The file's {@code soma.input}, or the defaults a file without it is read with. */
    private Preprocessing preprocessing(Map<String, String> metadata, ModelSpec modelSpec) {
        String json = metadata.get(Preprocessing.KEY);
        try {
            return json == null ? Preprocessing.defaults(modelSpec, metadata) : PreprocessingJson.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + Preprocessing.KEY + ": " + e.getMessage(), e);
        }
    }

    /**
     * One line on what the model's inputs are made from: "pictures 1 × 28 × 28 (grayscale), pixel / 255,
     * dark background, trained on fashion-mnist", "points (x1, x2), trained on xor".
     */
    private String describe(Map<String, String> metadata, ModelSpec modelSpec) {
        Preprocessing input = preprocessing(metadata, modelSpec);
        StringBuilder line = new StringBuilder();
        switch (input.kind()) {
            case IMAGES -> {
                line.append(String.format(Locale.ROOT, "pictures %d × %d × %d (%s), pixel / %s", input.channels(),
                        input.height(), input.width(), input.channels() == 1 ? "grayscale" : "RGB",
                        input.divisor() == Math.rint(input.divisor()) ? Long.toString((long) input.divisor())
                                : Double.toString(input.divisor())));
                if (input.normalizes()) {
                    line.append(", then (x − mean ").append(input.mean()).append(") / std ").append(input.std());
                }
                line.append(input.background() == dev.soma.data.Background.MIXED ? ", mixed backgrounds"
                        : ", " + input.background().id() + " background");
            }
            case POINTS -> line.append("2-D points, features ").append(String.join(", ",
                    input.features().stream().map(f -> f.id()).toList()));
            case VECTOR -> line.append("vectors ").append(Shape.format(modelSpec.input())).append(", taken as given");
        }
        if (input.source() != null) {
            line.append(", trained on ").append(input.source());
        }
        if (!metadata.containsKey(Preprocessing.KEY)) {
            line.append(" (not recorded in the file: the defaults)");
        }
        return line.toString();
    }
}

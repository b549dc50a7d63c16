package dev.soma.app;

import dev.soma.io.ModelFile;
import dev.soma.io.onnx.OnnxExport;
import dev.soma.tensor.Shape;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soma export}: a saved model as an ONNX file ({@link OnnxExport}), for onnxruntime and the like. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a saved model as ONNX (opset 17), for onnxruntime and other runtimes.",
            "Its input is pictures [N, C, H, W] as floats in [0, 1], with the normalisation",
            "the file records inside (points [N, 2] with their features for point models);",
            "its output is the model's, class scores for soma train's models.",
            "Example: soma export cnn.safetensors --onnx cnn.onnx"})
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.safetensors", description = "A model saved by soma train.")
    Path file;

    @Option(names = "--onnx", paramLabel = "MODEL.onnx", required = true, description = "Write the ONNX file here.")
    Path onnx;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        Options.checkDestination(spec, "--onnx", onnx);
        if (Files.exists(onnx) && Files.exists(file) && Files.isSameFile(onnx, file)) {
            throw new ParameterException(spec.commandLine(), "--onnx: '" + onnx + "' is the model file itself;"
                    + " name another file");
        }
        ModelFile model = ModelFile.load(file);
        OnnxExport.Summary summary;
        try {
            summary = OnnxExport.write(model, onnx);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot export " + file + " to ONNX: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Wrote %s: ONNX opset %d, %,d bytes, %d operators, %,d weights%n", onnx,
                OnnxExport.OPSET, summary.bytes(), summary.nodes(), summary.weights());
        out.println("  input  " + summary.input() + " " + batched(summary.inputShape()) + describe(summary.input()));
        out.println("  output " + summary.output() + " " + batched(summary.outputShape())
                + (model.classNames().isEmpty() ? "" : ", one score per class (soma.classes in the metadata)"));
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("file", file.toString());
            result.put("onnx", onnx.toString());
            result.put("opset", OnnxExport.OPSET);
            result.put("input", Map.of("name", summary.input(), "shape", shape(summary.inputShape())));
            result.put("output", Map.of("name", summary.output(), "shape", shape(summary.outputShape())));
            result.put("operators", summary.nodes());
            result.put("weights", summary.weights());
            result.put("bytes", summary.bytes());
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    private static String describe(String input) {
        return switch (input) {
            case "pixels" -> ", floats in [0, 1] (pixel / 255)";
            case "points" -> ", (x1, x2)";
            default -> ", as given";
        };
    }

    /** {@code [N, 1, 28, 28]}. */
    private static String batched(int[] sample) {
        return "[N, " + Shape.format(sample).substring(1);
    }

    /** {@code ["N", 1, 28, 28]} for JSON. */
    private static List<Object> shape(int[] sample) {
        List<Object> dims = new java.util.ArrayList<>();
        dims.add("N");
        for (int size : sample) {
            dims.add(size);
        }
        return dims;
    }
}

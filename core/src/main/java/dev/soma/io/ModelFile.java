package dev.soma.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model in one safetensors file: the state dict (parameters and buffers, PyTorch's names,
 * float32) and, in {@code __metadata__}, everything needed to rebuild and use it:
 *
 * <ul>
 *   <li>{@code soma.spec}: the architecture, {@link ModelSpecJson#toJson};
 *   <li>{@code soma.classes}: the class names, a JSON array of strings;
 *   <li>{@code soma.version}: the Soma that wrote it;
 *   <li>{@code soma.input}: how inputs were made from pictures or points in training,
 *       {@link Preprocessing} (absent in older files: {@link #input} gives the defaults then);
 *   <li>any extra strings the caller adds (the dataset, epochs, accuracy…).
 * </ul>
 *
 * <p>The weights are plain safetensors, so PyTorch's {@code safetensors.torch.load_file} reads them
 * and {@code nn.Sequential.load_state_dict} accepts them for the same architecture.
 *
 * @param model the rebuilt model, with the file's weights, in evaluation mode
 * @param spec its architecture
 * @param classNames the class names (empty if none were saved)
 * @param metadata every metadata string of the file, {@code soma.*} included
 */
public record ModelFile(Module model, ModelSpec spec, List<String> classNames, Map<String, String> metadata) {

    /** The metadata key of the architecture. */
    public static final String SPEC_KEY = "soma.spec";
    /** The metadata key of the class names. */
    public static final String CLASSES_KEY = "soma.classes";
    /** The metadata key of the writer's version; callers may set it in the extra metadata. */
    public static final String VERSION_KEY = "soma.version";

    public ModelFile {
        classNames = List.copyOf(classNames);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Writes {@code model}'s state dict (not modified) to {@code file}, atomically, with {@code spec},
     * {@code classNames} and {@code extraMetadata} in the metadata. {@code soma.version} is this
     * library's version unless {@code extraMetadata} gives one.
     *
     * @param classNames the name of each output, or empty; a single-output model may name two classes
     * @throws IllegalArgumentException when the model's state dict does not match what {@code spec}
     *     builds (names and shapes), when the class names do not match the outputs, or when
     *     {@code extraMetadata} sets {@code soma.spec} or {@code soma.classes}
     * @throws IOException when writing fails
     */
    public static void save(Path file, Module model, ModelSpec spec, List<String> classNames,
            Map<String, String> extraMetadata) throws IOException {
        Map<String, Tensor> state = model.stateDict();
        checkMatches(state, spec.build(new Generator(0)).stateDict());
        checkClasses(classNames, spec);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(SPEC_KEY, ModelSpecJson.toJson(spec));
        ArrayNode classes = JsonNodeFactory.instance.arrayNode();
        classNames.forEach(classes::add);
        metadata.put(CLASSES_KEY, Json.write(classes));
        metadata.put(VERSION_KEY, version());
        if (extraMetadata != null) {
            extraMetadata.forEach((key, value) -> {
                if (SPEC_KEY.equals(key) || CLASSES_KEY.equals(key)) {
                    throw new IllegalArgumentException("extra metadata cannot set " + key + ", which save writes");
                }
                metadata.put(key, value);
            });
        }
        Safetensors.write(file, state, metadata);
    }

    /**
     * Reads {@code file}, rebuilds its model from {@code soma.spec} and loads the weights (strictly:
     * every name and shape must match). The model is returned in evaluation mode.
     *
     * @throws FileFormatException naming the file: not valid safetensors, no {@code soma.spec} (not a
     *     Soma model file), an invalid spec or class list, or weights that do not fit the spec
     */
    public static ModelFile load(Path file) throws IOException {
        SafetensorsFile contents = Safetensors.read(file);
        Map<String, String> metadata = contents.metadata();
        String specJson = metadata.get(SPEC_KEY);
        if (specJson == null) {
            throw new FileFormatException(file, "has no " + SPEC_KEY + " in its metadata: not a Soma model file;"
                    + " its tensors can still be read with Safetensors.read");
        }
        ModelSpec spec;
        List<String> classNames;
        try {
            spec = ModelSpecJson.fromJson(specJson);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, SPEC_KEY + ": " + e.getMessage(), e);
        }
        try {
            classNames = classes(metadata.get(CLASSES_KEY));
            checkClasses(classNames, spec);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, CLASSES_KEY + ": " + e.getMessage(), e);
        }
        checkSize(file, spec, contents.tensors());
        Module model = spec.build(new Generator(0));
        try {
            model.loadStateDict(contents.tensors());
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, "the weights do not fit " + SPEC_KEY + ": " + e.getMessage(), e);
        }
        model.eval();
        ModelFile loaded = new ModelFile(model, spec, classNames, metadata);
        try {
            loaded.input().checkFits(spec);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, Preprocessing.KEY + ": " + e.getMessage(), e);
        }
        return loaded;
    }

    /**
     * How this model's inputs are made: {@value Preprocessing#KEY} if the file records it, else
     * {@link Preprocessing#defaults} (what files written before it were read as).
     *
     * @throws IllegalArgumentException when {@value Preprocessing#KEY} is not valid ({@link #load} checks it)
     */
    public Preprocessing input() {
        String json = metadata.get(Preprocessing.KEY);
        return json == null ? Preprocessing.defaults(spec, metadata) : PreprocessingJson.fromJson(json);
    }

    /**
     * Refuses, before building it, a spec that needs more than 2²⁰ numbers (4 MB) beyond what the
     * file holds: a few bytes of spec could otherwise ask for gigabytes ({@code linear} 40000 →
     * 40000 is 6.4 GB of floats). Within the slack, building costs at most 4 MB more than the file's
     * weights, and loading them names the missing tensors.
     */
    private static void checkSize(Path file, ModelSpec spec, Map<String, Tensor> tensors) throws FileFormatException {
        long declared = spec.stateElements();
        long held = tensors.values().stream().mapToLong(Tensor::numel).sum();
        if (declared - held > 1 << 20) {
            throw new FileFormatException(file, String.format("the weights do not fit %s: its layers hold %,d numbers,"
                    + " the file %,d", SPEC_KEY, declared, held));
        }
    }

    private static List<String> classes(String json) {
        if (json == null) {
            return List.of();
        }
        JsonNode node = Json.parse(json);
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of strings, got " + Json.kind(node));
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new IllegalArgumentException("class " + i + " is " + Json.kind(node.get(i)) + ", expected a string");
            }
            names.add(node.get(i).textValue());
        }
        return names;
    }

    /** Class names must be absent, one per output, or two for a single output (a binary classifier). */
    private static void checkClasses(List<String> classNames, ModelSpec spec) {
        if (classNames.isEmpty()) {
            return;
        }
        classNames.forEach(name -> Objects.requireNonNull(name, "class name"));
        int[] out = spec.outputShape();
        int outputs = out.length == 1 ? out[0] : -1;
        if (classNames.size() != outputs && !(outputs == 1 && classNames.size() == 2)) {
            throw new IllegalArgumentException(classNames.size() + " class names for a model whose output is "
                    + Shape.format(out));
        }
    }

    private static void checkMatches(Map<String, Tensor> state, Map<String, Tensor> expected) {
        if (!state.keySet().equals(expected.keySet())) {
            throw new IllegalArgumentException("the model's state dict " + state.keySet()
                    + " does not match its spec's " + expected.keySet());
        }
        expected.forEach((name, tensor) -> {
            if (!Arrays.equals(tensor.shape(), state.get(name).shape())) {
                throw new IllegalArgumentException("the model's " + name + " has shape "
                        + Shape.format(state.get(name).shape()) + ", its spec's has " + Shape.format(tensor.shape()));
            }
        });
    }

    /** This library's version, from the jar's manifest, or "unknown" outside a built jar. */
    private static String version() {
        String version = ModelFile.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}

package dev.soma.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.CheckpointSink;
import dev.soma.train.EpochStats;
import dev.soma.train.TrainingState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training run saved so that it can resume exactly: each checkpoint is a folder
 * {@code ROOT/epoch-E-step-S} (the epoch in progress and the steps taken in it) holding
 *
 * <ul>
 *   <li>{@code model.safetensors}: the model's state dict;
 *   <li>{@code optimizer.safetensors}: the optimizer's buffers, named {@code state.I.NAME} (parameter
 *       I's {@code exp_avg}, {@code momentum_buffer}, …), with its step counts and hyperparameters as
 *       JSON in the metadata key {@code soma.optimizer};
 *   <li>{@code state.json}: the position ({@link TrainingState}: epoch, step, global step, the
 *       generators' states, the epoch's running sums, the history so far) and the caller's settings.
 * </ul>
 *
 * Each file is written by {@link AtomicFiles}, and the text file {@code ROOT/latest}, naming the
 * newest folder, is written last: a run killed at any moment leaves {@code latest} pointing at a
 * whole checkpoint. After each write only the newest {@code keep} folders remain. {@link #read}
 * takes the root (and follows {@code latest}) or one checkpoint folder.
 */
public final class Checkpoint implements CheckpointSink {

    /** The pointer file's name. */
    public static final String LATEST = "latest";
    /** How many checkpoints are kept unless told otherwise. */
    public static final int DEFAULT_KEEP = 3;
    private static final Pattern FOLDER = Pattern.compile("epoch-(\\d{1,9})-step-(\\d{1,9})");
    private static final String OPTIMIZER_KEY = "soma.optimizer";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path root;
    private final Module model;
    private final Optimizer optimizer;
    private final Map<String, String> settings;
    private final int keep;
    private Path last;

    /**
     * Checkpoints of {@code model} and {@code optimizer} (read, not modified) under {@code root}.
     *
     * @param settings what the caller needs to rebuild the run (the command line's options), saved
     *     in each {@code state.json} and returned by {@link #read}
     * @param keep how many checkpoints remain after each write, ≥ 1
     */
    public Checkpoint(Path root, Module model, Optimizer optimizer, Map<String, String> settings, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint: keep must be ≥ 1, got " + keep);
        }
        this.root = root;
        this.model = model;
        this.optimizer = optimizer;
        this.settings = Map.copyOf(settings);
        this.keep = keep;
    }

    /** The folder of the last checkpoint written, or null. */
    public Path last() {
        return last;
    }

    /** Writes a checkpoint of the run at {@code state}, then points {@code latest} at it and prunes old ones. */
    @Override
    public void save(TrainingState state) throws IOException {
        String name = "epoch-" + state.epoch() + "-step-" + state.step();
        Path folder = root.resolve(name);
        Safetensors.write(folder.resolve("model.safetensors"), model.stateDict());
        writeOptimizer(folder.resolve("optimizer.safetensors"), optimizer.stateDict());
        ObjectNode json = stateJson(state);
        json.set("settings", NODES.objectNode().setAll(toNodes(settings)));
        writeText(folder.resolve("state.json"), Json.write(json) + "\n");
        writeText(root.resolve(LATEST), name + "\n");
        last = folder;
        prune(name);
    }

    /** A checkpoint read back: the folder it came from, and what it holds. */
    public record Loaded(Path folder, Map<String, Tensor> model, Optimizer.StateDict optimizer, TrainingState state,
            Map<String, String> settings) {

        /** The root holding the folder (and {@code latest}), where a resumed run goes on writing. */
        public Path root() {
            return folder.toAbsolutePath().getParent();
        }

        /** Loads the weights into {@code model} and the state into {@code optimizer} (both modified), strictly. */
        public void restore(Module model, Optimizer optimizer) {
            model.loadStateDict(this.model);
            optimizer.loadStateDict(this.optimizer);
        }
    }

    /**
     * Reads the checkpoint {@code path} names: the one {@code path/latest} points at, or {@code path}
     * itself when it holds a {@code state.json}.
     *
     * @throws FileFormatException naming the file when there is no checkpoint there or a file is not what it should be
     */
    public static Loaded read(Path path) throws IOException {
        Path folder = path;
        Path pointer = path.resolve(LATEST);
        if (Files.isRegularFile(pointer)) {
            String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
            if (!FOLDER.matcher(name).matches()) {
                throw new FileFormatException(pointer, "should name a checkpoint folder (epoch-E-step-S), holds '" + name + "'");
            }
            folder = path.resolve(name);
        } else if (!Files.isRegularFile(path.resolve("state.json"))) {
            throw new FileFormatException(path, "is not a checkpoint: it holds neither '" + LATEST + "' nor state.json"
                    + " (soma train --checkpoint DIR writes them)");
        }
        Path stateFile = folder.resolve("state.json");
        JsonNode json;
        try {
            json = Json.parse(Files.readString(stateFile, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(stateFile, e.getMessage(), e);
        }
        TrainingState state;
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            state = state(json);
            json.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
        } catch (RuntimeException e) {
            throw new FileFormatException(stateFile, "is not a checkpoint's state: " + e.getMessage(), e);
        }
        Map<String, Tensor> weights = Safetensors.read(folder.resolve("model.safetensors")).tensors();
        return new Loaded(folder, weights, readOptimizer(folder.resolve("optimizer.safetensors")), state, settings);
    }

    private static void writeText(Path file, String text) throws IOException {
        AtomicFiles.write(file, "checkpoint file " + file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the checkpoint folders beyond the newest {@code keep}, never the one just written. */
    private void prune(String current) throws IOException {
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, e -> FOLDER.matcher(e.getFileName().toString()).matches())) {
            entries.forEach(folders::add);
        }
        folders.sort(Comparator.comparingLong((Path p) -> position(p, 1)).thenComparingLong(p -> position(p, 2)).reversed());
        for (Path folder : folders.subList(Math.min(keep, folders.size()), folders.size())) {
            if (!folder.getFileName().toString().equals(current)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path file : files) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(folder);
            }
        }
    }

    private static long position(Path folder, int group) {
        Matcher m = FOLDER.matcher(folder.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(group)) : -1;
    }

    // ---- the optimizer's state

    private static void writeOptimizer(Path file, Optimizer.StateDict dict) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ObjectNode steps = NODES.objectNode();
        dict.state().forEach((i, param) -> {
            steps.put(Integer.toString(i), param.step());
            param.buffers().forEach((name, tensor) -> tensors.put("state." + i + "." + name, tensor));
        });
        ObjectNode hyper = NODES.objectNode();
        dict.hyperparameters().forEach((name, value) -> hyper.set(name, toNode(value)));
        ObjectNode meta = NODES.objectNode();
        meta.set("steps", steps);
        meta.set("hyperparameters", hyper);
        Safetensors.write(file, tensors, Map.of(OPTIMIZER_KEY, Json.write(meta)));
    }

    private static Optimizer.StateDict readOptimizer(Path file) throws IOException {
        SafetensorsFile contents = Safetensors.read(file);
        String text = contents.metadata().get(OPTIMIZER_KEY);
        if (text == null) {
            throw new FileFormatException(file, "has no " + OPTIMIZER_KEY + " in its metadata: not a checkpoint's optimizer state");
        }
        try {
            JsonNode meta = Json.parse(text);
            Map<Integer, Map<String, Tensor>> buffers = new LinkedHashMap<>();
            contents.tensors().forEach((name, tensor) -> {
                String[] parts = name.split("\\.", 3);
                if (parts.length != 3 || !parts[0].equals("state")) {
                    throw new IllegalArgumentException("unexpected tensor '" + name + "' (expected state.I.NAME)");
                }
                buffers.computeIfAbsent(Integer.parseInt(parts[1]), i -> new LinkedHashMap<>()).put(parts[2], tensor);
            });
            Map<Integer, Optimizer.ParamState> state = new LinkedHashMap<>();
            meta.path("steps").properties().forEach(e -> {
                int i = Integer.parseInt(e.getKey());
                state.put(i, new Optimizer.ParamState(e.getValue().intValue(), buffers.getOrDefault(i, Map.of())));
            });
            Map<String, Object> hyper = new LinkedHashMap<>();
            meta.path("hyperparameters").properties().forEach(e -> hyper.put(e.getKey(), fromNode(e.getValue())));
            return new Optimizer.StateDict(state, hyper);
        } catch (RuntimeException e) {
            throw new FileFormatException(file, OPTIMIZER_KEY + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode toNode(Object value) {
        return switch (value) {
            case Boolean b -> NODES.booleanNode(b);
            case Number n -> NODES.numberNode(n.doubleValue());
            case List<?> list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(v -> array.add(toNode(v)));
                yield array;
            }
            default -> throw new IllegalArgumentException("hyperparameter value " + value + " is not a number, boolean or list");
        };
    }

    private static Object fromNode(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> values = new ArrayList<>();
            node.forEach(v -> values.add(fromNode(v)));
            return values;
        }
        throw new IllegalArgumentException("a hyperparameter is " + Json.kind(node));
    }

    private static Map<String, JsonNode> toNodes(Map<String, String> strings) {
        Map<String, JsonNode> nodes = new java.util.TreeMap<>();
        strings.forEach((k, v) -> nodes.put(k, NODES.textNode(v)));
        return nodes;
    }

    // ---- the position: state.json

    private static ObjectNode stateJson(TrainingState s) {
        ObjectNode json = NODES.objectNode();
        json.put("format", "soma.checkpoint");
        json.put("version", 1);
        json.put("epoch", s.epoch());
        json.put("step", s.step());
        json.put("global_step", s.globalStep());
        ObjectNode generators = json.putObject("generators");
        generators.set("shuffle_at_epoch_start", generator(s.shuffleAtEpochStart()));
        generators.set("shuffle", generator(s.shuffle()));
        ArrayNode drawn = generators.putArray("drawn");
        s.generators().forEach(g -> drawn.add(generator(g)));
        ObjectNode sums = json.putObject("epoch_sums");
        sums.set("loss_sum", number(s.lossSum()));
        sums.put("correct", s.correct());
        sums.put("seen", s.seen());
        ArrayNode history = json.putArray("history");
        for (EpochStats e : s.history()) {
            ObjectNode epoch = history.addObject();
            epoch.put("epoch", e.epoch());
            epoch.set("train_loss", number(e.trainLoss()));
            epoch.set("train_accuracy", number(e.trainAccuracy()));
            epoch.set("validation_loss", number(e.validationLoss()));
            epoch.set("validation_accuracy", number(e.validationAccuracy()));
            epoch.set("seconds", number(e.seconds()));
        }
        return json;
    }

    private static TrainingState state(JsonNode json) {
        if (!"soma.checkpoint".equals(json.path("format").asText()) || json.path("version").asInt() != 1) {
            throw new IllegalArgumentException("expected \"format\": \"soma.checkpoint\" and \"version\": 1");
        }
        List<EpochStats> history = new ArrayList<>();
        for (JsonNode e : json.path("history")) {
            history.add(new EpochStats(integer(e, "epoch"), decimal(e, "train_loss"), decimal(e, "train_accuracy"),
                    decimal(e, "validation_loss"), decimal(e, "validation_accuracy"), decimal(e, "seconds")));
        }
        JsonNode generators = json.path("generators");
        List<Generator.State> drawn = new ArrayList<>();
        generators.path("drawn").forEach(g -> drawn.add(generator(g)));
        JsonNode sums = json.path("epoch_sums");
        return new TrainingState(integer(json, "epoch"), integer(json, "step"), whole(json, "global_step"),
                generator(generators.path("shuffle_at_epoch_start")), generator(generators.path("shuffle")),
                drawn, decimal(sums, "loss_sum"), whole(sums, "correct"),
                whole(sums, "seen"), history);
    }

    private static ObjectNode generator(Generator.State g) {
        ObjectNode node = NODES.objectNode();
        node.put("seed", g.seed());
        node.put("state", g.state());
        node.set("spare_gaussian", number(g.spareGaussian()));
        return node;
    }

    private static Generator.State generator(JsonNode node) {
        return new Generator.State(whole(node, "seed"), whole(node, "state"), decimal(node, "spare_gaussian"));
    }

    /** A double as JSON: NaN and the infinities, which JSON cannot hold, as null (read back as NaN). */
    private static JsonNode number(double value) {
        return Double.isFinite(value) ? NODES.numberNode(value) : NODES.nullNode();
    }

    private static double decimal(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (node.isNull()) {
            return Double.NaN;
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' is " + Json.kind(node) + ", expected a number");
        }
        return node.doubleValue();
    }

    private static long whole(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' is " + Json.kind(node) + ", expected an integer");
        }
        return node.longValue();
    }

    private static int integer(JsonNode parent, String field) {
        return Math.toIntExact(whole(parent, field));
    }
}

package dev.soma.app;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The options of {@code soma train} that define a run, as a checkpoint's {@code state.json} saves
 * them ({@link #of}) and {@code --resume} puts them back ({@link #apply}): a resumed run is the run
 * that was started, so an option given again must have its saved value. {@code --checkpoint-every}
 * is saved too, but may be changed; {@code --save}, {@code --plot}, {@code --json} and
 * {@code --checkpoint} are not settings of the run.
 */
final class TrainSettings {

    private TrainSettings() {
    }

    /** Each setting's option, in the order the settings are written. */
    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("model", "--model");
        OPTIONS.put("data", "--data");
        OPTIONS.put("data_dir", "--data-dir");
        OPTIONS.put("image_size", "--image-size");
        OPTIONS.put("channels", "--channels");
        OPTIONS.put("samples", "--samples");
        OPTIONS.put("noise", "--noise");
        OPTIONS.put("test_fraction", "--test-fraction");
        OPTIONS.put("optimizer", "--optimizer");
        OPTIONS.put("lr", "--lr");
        OPTIONS.put("batch", "--batch");
        OPTIONS.put("seed", "--seed");
        OPTIONS.put("epochs", "--epochs");
    }

    /** The run's settings as strings; {@code lr} is the rate used (the optimizer's default when not given). */
    static Map<String, String> of(TrainCommand c) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", c.model);
        s.put("data", Objects.toString(c.data.data, ""));
        s.put("data_dir", c.data.dataDir == null ? "" : c.data.dataDir.toString());
        s.put("image_size", Integer.toString(c.data.imageSize));
        s.put("channels", Integer.toString(c.data.channels));
        s.put("samples", Integer.toString(c.data.samples));
        s.put("noise", Double.toString(c.data.noise));
        s.put("test_fraction", Double.toString(c.data.testFraction));
        s.put("optimizer", c.optimizer.name());
        s.put("lr", Double.toString(c.lr != null ? c.lr : c.optimizer.defaultLr));
        s.put("batch", Integer.toString(c.batch));
        s.put("seed", Long.toString(c.seed.value));
        s.put("epochs", Integer.toString(c.epochs));
        s.put("checkpoint_every", Integer.toString(c.checkpointEvery));
        return s;
    }

    /**
     * Sets {@code c}'s options to the saved {@code settings}, refusing an option given on the command
     * line with another value.
     */
    static void apply(Map<String, String> settings, TrainCommand c, Path resume) {
        ParseResult given = c.spec.commandLine().getParseResult();
        Map<String, String> now = of(c);
        for (Map.Entry<String, String> option : OPTIONS.entrySet()) {
            String saved = settings.get(option.getKey());
            if (saved == null) {
                throw new IllegalArgumentException("--resume " + resume + ": the checkpoint does not record "
                        + option.getValue() + "; it was not written by soma train");
            }
            if (given.hasMatchedOption(option.getValue()) && !saved.equals(now.get(option.getKey()))) {
                throw new ParameterException(c.spec.commandLine(), option.getValue() + " " + now.get(option.getKey())
                        + " conflicts with the run being resumed, which has " + option.getValue() + " "
                        + (saved.isEmpty() ? "unset" : saved) + "; leave it out (--resume continues the run as it was started)");
            }
        }
        c.model = settings.get("model");
        c.data.data = settings.get("data");
        c.data.dataDir = settings.get("data_dir").isEmpty() ? null : Path.of(settings.get("data_dir"));
        c.data.imageSize = Integer.parseInt(settings.get("image_size"));
        c.data.channels = Integer.parseInt(settings.get("channels"));
        c.data.samples = Integer.parseInt(settings.get("samples"));
        c.data.noise = Double.parseDouble(settings.get("noise"));
        c.data.testFraction = Double.parseDouble(settings.get("test_fraction"));
        c.optimizer = TrainCommand.OptimizerChoice.valueOf(settings.get("optimizer"));
        c.lr = Double.parseDouble(settings.get("lr"));
        c.batch = Integer.parseInt(settings.get("batch"));
        c.seed.value = Long.parseLong(settings.get("seed"));
        c.epochs = Integer.parseInt(settings.get("epochs"));
        if (!given.hasMatchedOption("--checkpoint-every") && settings.containsKey("checkpoint_every")) {
            c.checkpointEvery = Integer.parseInt(settings.get("checkpoint_every"));
        }
    }

    /**
     * Where a run without {@code --checkpoint} writes the checkpoint a signal asks for: {@code NAME.checkpoint}
     * beside {@code --save NAME.safetensors}, else {@code soma-checkpoint-DATE-TIME} in the current folder.
     */
    static Path defaultCheckpoint(Path save) {
        if (save != null) {
            String name = save.getFileName().toString();
            return save.resolveSibling(name.substring(0, name.length() - ".safetensors".length()) + ".checkpoint");
        }
        return Path.of("soma-checkpoint-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}

package dev.soma.app;

import dev.soma.spark.SparkCluster;
import dev.soma.spark.SparkPredict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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

/**
 * {@code soma spark predict}: batch inference on Spark. A folder of pictures (read by Spark's
 * {@code binaryFile} source, decoded on the executors as {@code soma predict} decodes a file) or a
 * Parquet file is scored with a model file and the predictions written as Parquet
 * ({@code dev.soma.spark.BatchInference} has the columns). Names no Spark type (see {@link SparkCommand}).
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Score a folder of pictures or a Parquet file with a model, on Spark;",
            "the predictions (class, name, probabilities) are written as Parquet.",
            "Example: soma spark predict cnn.safetensors photos/ --out predictions.parquet",
            "         (add --master spark://HOST:7077 to run on a standalone cluster)"})
public final class SparkPredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file saved by soma train.")
    Path model;

    @Parameters(index = "1", paramLabel = "DIR|PARQUET",
            description = "A folder of pictures (subfolders name classes) or Parquet: a .parquet file or Spark's folder.")
    String input;

    @Option(names = "--out", required = true, paramLabel = "RESULT.parquet", description = "Where the predictions go.")
    String out;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark's master: local[N], local[*] or spark://HOST:PORT (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--column", paramLabel = "NAME", defaultValue = "image",
            description = "Parquet: the column scored, binary pixels or array<float> (default: ${DEFAULT-VALUE}).")
    String column;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256",
            description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    Options.Invert invert;

    @Option(names = "--overwrite", description = "Replace RESULT.parquet if it exists.")
    boolean overwrite;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for a cluster's first executor (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be ≥ 1, got " + batch);
        }
        if (waitSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--wait must be ≥ 1, got " + waitSeconds);
        }
        if (!SparkCluster.available()) {
            throw new IllegalStateException("Apache Spark's jars are not on the class path: run soma spark through"
                    + " ./soma, or spark-submit with app/target/soma-spark.jar (docs/SPARK.md)");
        }
        SparkPredict.Result result = SparkPredict.run(new SparkPredict.Settings(model, input, master, out, column,
                batch, invert.enabled(), overwrite, Duration.ofSeconds(waitSeconds)));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%d rows scored in %.1f s (%.0f rows/s): %s%n", result.rows(), result.seconds(),
                result.rowsPerSecond(), out);
        if (json.enabled) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("rows", result.rows());
            fields.put("seconds", result.seconds());
            fields.put("rows_per_second", result.rowsPerSecond());
            stdout.println(Json.line(fields));
        }
        stdout.flush();
        return 0;
    }
}

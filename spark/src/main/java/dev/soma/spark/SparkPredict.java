package dev.soma.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code soma spark predict} for code that names no Spark type: a model file, a folder of pictures or
 * a Parquet file in, the predictions ({@link BatchInference}'s columns) written as Parquet.
 */
public final class SparkPredict {

    /**
     * What to score and where.
     *
     * @param model the model file
     * @param input a folder of pictures (class subfolders optional) or Parquet (a file or Spark's folder)
     * @param master Spark's master URL
     * @param out where the Parquet result goes
     * @param column the Parquet column scored (binary pixels or array&lt;float&gt;)
     * @param batchSize rows per forward pass
     * @param invert whether pictures of the other background are inverted, as {@code soma predict} does
     * @param overwrite whether an existing {@code out} is replaced
     * @param executorWait how long to wait for a cluster's first executor
     */
    public record Settings(Path model, String input, String master, String out, String column, int batchSize,
            boolean invert, boolean overwrite, Duration executorWait) {
    }

    /**
     * What a run did.
     *
     * @param rows rows written
     * @param seconds wall time from reading the input to the result written (the session's start excluded)
     * @param pictures whether the input was a folder of pictures (else Parquet)
     */
    public record Result(long rows, double seconds, boolean pictures) {

        /** Rows per second. */
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }
    }

    private SparkPredict() {
    }

    /**
     * Scores {@code settings.input()} with the model and writes the result.
     *
     * @throws IOException when a file is missing or unreadable, the result exists, the master is
     *     unreachable or lends no executor
     * @throws IllegalArgumentException when the input does not fit the model; Spark's failures are
     *     turned into one of these two with the underlying reason
     */
    public static Result run(Settings settings) throws IOException, InterruptedException {
        BatchInference inference = BatchInference.load(settings.model()).batchSize(settings.batchSize());
        boolean local = !settings.input().matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*");
        boolean parquet = parquet(settings.input(), local);
        Path out = Path.of(settings.out());
        if (!settings.out().contains(":/") && Files.exists(out) && !settings.overwrite()) {
            throw new IOException(settings.out() + " already exists (--overwrite replaces it)");
        }
        Masters.checkReachable(settings.master(), Duration.ofSeconds(5));
        SparkSession spark = SparkSessions.start(settings.master(), "soma spark predict", Masters.settings(settings.master()));
        try {
            Masters.awaitExecutor(spark, settings.executorWait());
            long start = System.nanoTime();
            Dataset<Row> frame;
            String column;
            if (parquet) {
                frame = spark.read().parquet(settings.input());
                column = settings.column();
            } else {
                frame = SparkData.imageFolder(spark, settings.input(), inference.model().input(), settings.invert());
                column = SparkData.IMAGE;
            }
            inference.score(frame, column).write().mode(settings.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .parquet(settings.out());
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows = spark.read().parquet(settings.out()).count(); // from the files' footers
            return new Result(rows, seconds, !parquet);
        } catch (IOException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(reason(e), e);
        } finally {
            spark.stop();
        }
    }

    /**
     * Whether {@code input} is Parquet (a {@code .parquet} file, or a folder holding {@code .parquet}
     * files, as Spark writes them) rather than a folder of pictures.
     *
     * @throws NoSuchFileException when a local input does not exist
     */
    static boolean parquet(String input, boolean local) throws IOException {
        if (!local) {
            return input.toLowerCase(Locale.ROOT).endsWith(".parquet");
        }
        Path path = Path.of(input);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(input);
        }
        if (Files.isRegularFile(path)) {
            if (input.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                return true;
            }
            throw new IllegalArgumentException(input + " is neither a folder of pictures nor Parquet (a .parquet file,"
                    + " or a folder of them as Spark writes it)");
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.anyMatch(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet"));
        }
    }

    /**
     * The reason a Spark job failed, for one line: the message of the deepest cause that is Soma's
     * or a bad argument or file (in local mode the task's own exception is among the causes), else the
     * first line of Spark's message (a task failed on a cluster carries its exception as text).
     */
    static String reason(Throwable failure) {
        String found = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && (t.getClass().getName().startsWith("dev.soma.")
                    || t.getClass() == IllegalArgumentException.class || t instanceof IOException)) {
                found = t.getMessage();
            }
        }
        if (found != null) {
            return found;
        }
        String message = String.valueOf(failure.getMessage());
        int lastCause = Math.max(message.lastIndexOf("IllegalArgumentException: "), message.lastIndexOf("Exception: "));
        String line = message.lines().findFirst().orElse(message);
        if (lastCause >= 0) {
            String rest = message.substring(message.indexOf(": ", lastCause) + 2);
            return rest.lines().findFirst().orElse(rest);
        }
        return line;
    }
}

package dev.soma.bench;

import dev.soma.data.Background;
import dev.soma.data.ImageDataset;
import dev.soma.data.Mnist;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.spark.BatchInference;
import dev.soma.spark.SparkData;
import dev.soma.spark.SparkSessions;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Batch inference throughput over Fashion-MNIST's 70,000 pictures: Spark ({@code local[2]} by
 * default, {@link BatchInference} over a DataFrame of {@link SparkData#fashionMnist}, written to
 * Spark's {@code noop} sink so every row is computed) against the core model in this JVM alone, in
 * batches of the same size and in batches of one, as {@code soma predict} runs a picture (its file
 * decoding left out). A model of seeded random weights: the time does not depend on the values. Each
 * figure is the best of {@code repeats} timed passes after one untimed pass (the JIT's warm-up).
 *
 * <pre>
 * java $(cat spark/target/spark-jvm-flags.txt) --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp bench/target/soma-bench.jar:$(cat spark/target/spark-classpath.txt) \
 *     dev.soma.bench.SparkInferenceSpeed [mlp|cnn] [local[2]] [repeats]
 * </pre>
 */
public final class SparkInferenceSpeed {

    private static final int BATCH = BatchInference.DEFAULT_BATCH;

    private SparkInferenceSpeed() {
    }

    public static void main(String[] args) throws IOException {
        String design = args.length > 0 ? args[0] : "mlp";
        String master = args.length > 1 ? args[1] : "local[2]";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path folder = Mnist.locate("fashion-mnist");
        ImageDataset train = Mnist.fashionMnist(folder, Mnist.Split.TRAIN);
        ImageDataset test = Mnist.fashionMnist(folder, Mnist.Split.TEST);
        int rows = train.size() + test.size();
        ModelSpec spec = Models.named(design, new int[] {1, 28, 28}, 10);
        Path file = Files.createTempFile("soma-speed-", ".safetensors");
        ModelFile.save(file, spec.build(new Generator(0)), spec, Mnist.FASHION_CLASSES, Map.of(Preprocessing.KEY,
                PreprocessingJson.toJson(Preprocessing.images("fashion-mnist", 1, 28, 28, Background.DARK))));
        ModelFile model = ModelFile.load(file);

        double batched = best(repeats, () -> local(model, train, test, BATCH, rows));
        int single = Math.min(rows, 10_000);
        double one = best(repeats, () -> local(model, train, test, 1, single));
        System.out.printf(Locale.ROOT, "%s, %,d pictures%n", design, rows);
        System.out.printf(Locale.ROOT, "  core model, batches of %d:   %,10.0f pictures/s%n", BATCH, rows / batched);
        System.out.printf(Locale.ROOT, "  core model, one at a time:  %,10.0f pictures/s (soma predict's path, first %,d)%n",
                single / one, single);

        SparkSession spark = SparkSessions.start(master, "SparkInferenceSpeed");
        try {
            Dataset<Row> pictures = SparkData.fashionMnist(spark, folder, spark.sparkContext().defaultParallelism() * 2).cache();
            pictures.count(); // the rows parallelized and cached once: what is timed is the scoring
            BatchInference inference = BatchInference.load(file);
            double onSpark = best(repeats, () -> inference.score(pictures, SparkData.IMAGE).write().format("noop")
                    .mode("overwrite").save());
            System.out.printf(Locale.ROOT, "  Spark %s, batches of %d: %,10.0f pictures/s (%.2f× the core model's batches)%n",
                    master, BATCH, rows / onSpark, batched / onSpark);
        } finally {
            spark.stop();
            Files.deleteIfExists(file);
        }
    }

    /** The core model's forward passes over the first {@code count} pictures in batches of {@code batch}. */
    private static void local(ModelFile model, ImageDataset train, ImageDataset test, int batch, int count) {
        float[] values = new float[batch * 784];
        try (NoGrad scope = NoGrad.enter()) {
            for (int start = 0; start < count; start += batch) {
                int n = Math.min(batch, count - start);
                for (int i = 0; i < n; i++) {
                    int index = start + i;
                    byte[] pixels = index < train.size() ? train.image(index) : test.image(index - train.size());
                    System.arraycopy(model.input().image(pixels).toArray(), 0, values, i * 784, 784);
                }
                model.model().forward(Tensor.of(values, batch, 1, 28, 28)).softmax(-1).toArray();
            }
        }
    }

    /** The shortest of {@code repeats} timed runs of {@code work}, after one untimed run, in seconds. */
    private static double best(int repeats, Runnable work) {
        work.run();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}

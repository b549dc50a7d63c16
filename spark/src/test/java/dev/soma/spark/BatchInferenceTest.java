package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.Background;
import dev.soma.data.ImageDataset;
import dev.soma.data.Images;
import dev.soma.data.Mnist;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch inference against the core model run locally on the same pictures: the same float
 * operations, so the same bits, whatever the partitioning (1 and 3 partitions), and with a batch of
 * one the bits of {@code soma predict}'s reading of each file (decoded, inverted, scaled as it does).
 * One {@code local[2]} session for the class; 300 Fashion-MNIST test pictures.
 */
class BatchInferenceTest {

    private static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int PICTURES = 300;
    private static SparkSession spark;
    private static ImageDataset pictures;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DEBIAN_FOLDER), "needs dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
        spark = SparkSessions.start("local[2]", "BatchInferenceTest");
        ImageDataset test = Mnist.fashionMnist(DEBIAN_FOLDER, Mnist.Split.TEST);
        byte[] pixels = new byte[PICTURES * 784];
        int[] labels = new int[PICTURES];
        for (int i = 0; i < PICTURES; i++) {
            System.arraycopy(test.image(i), 0, pixels, i * 784, 784);
            labels[i] = test.label(i);
        }
        pictures = new ImageDataset(pixels, 1, 28, 28, labels, test.classNames());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** A model of {@code design} with seeded weights, saved as soma train saves Fashion-MNIST models. */
    private static Path model(String design, long seed) throws IOException {
        Path file = dir.resolve(design + "-" + seed + ".safetensors");
        if (!Files.exists(file)) {
            ModelSpec spec = Models.named(design, new int[] {1, 28, 28}, 10);
            Preprocessing input = Preprocessing.images("fashion-mnist", 1, 28, 28, Background.DARK);
            ModelFile.save(file, spec.build(new Generator(seed)), spec, Mnist.FASHION_CLASSES,
                    Map.of(Preprocessing.KEY, PreprocessingJson.toJson(input)));
        }
        return file;
    }

    /** The core model's probabilities for {@code inputs} [n, 1, 28, 28], run in zero-padded batches of {@code batch}. */
    private static float[] local(ModelFile model, float[] inputs, int n, int batch) {
        float[] probabilities = new float[n * 10];
        try (NoGrad scope = NoGrad.enter()) {
            for (int start = 0; start < n; start += batch) {
                int rows = Math.min(batch, n - start);
                float[] values = new float[batch * 784];
                System.arraycopy(inputs, start * 784, values, 0, rows * 784);
                float[] out = model.model().forward(Tensor.of(values, batch, 1, 28, 28)).softmax(-1).toArray();
                System.arraycopy(out, 0, probabilities, start * 10, rows * 10);
            }
        }
        return probabilities;
    }

    private static float[] inputs(ModelFile model, ImageDataset data) {
        float[] inputs = new float[data.size() * 784];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(model.input().image(data.image(i)).toArray(), 0, inputs, i * 784, 784);
        }
        return inputs;
    }

    /** The probabilities of the rows in order (they keep the input's order), flattened. */
    private static float[] probabilities(List<Row> rows) {
        int width = rows.getFirst().<Float>getList(rows.getFirst().fieldIndex(BatchInference.PROBABILITIES)).size();
        float[] all = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            List<Float> p = rows.get(i).getList(rows.get(i).fieldIndex(BatchInference.PROBABILITIES));
            for (int k = 0; k < width; k++) {
                all[i * width + k] = p.get(k);
            }
        }
        return all;
    }

    @Test
    void picturesGetTheCoreModelsBitsOnOneAndThreePartitions() throws IOException {
        for (String design : List.of("mlp", "cnn")) {
            Path file = model(design, 3);
            ModelFile model = ModelFile.load(file);
            float[] expected = local(model, inputs(model, pictures), PICTURES, BatchInference.DEFAULT_BATCH);
            BatchInference inference = BatchInference.load(file);
            for (int partitions : new int[] {1, 3}) {
                List<Row> rows = inference.score(SparkData.of(spark, pictures, partitions), SparkData.IMAGE).collectAsList();
                assertEquals(PICTURES, rows.size());
                assertArrayEquals(expected, probabilities(rows), design + ", " + partitions + " partitions");
                for (int i = 0; i < PICTURES; i++) {
                    Row row = rows.get(i);
                    assertEquals(pictures.label(i), row.getInt(row.fieldIndex(SparkData.LABEL)), "the rows keep their order");
                    int best = BatchInference.argmax(java.util.Arrays.copyOfRange(expected, i * 10, i * 10 + 10));
                    assertEquals(best, row.getInt(row.fieldIndex(BatchInference.PREDICTION)));
                    assertEquals(Mnist.FASHION_CLASSES.get(best), row.getString(row.fieldIndex(BatchInference.CLASS)));
                }
            }
        }
    }

    @Test
    void floatVectorsGiveTheSameBitsAsThePixelsTheyWereMadeFrom() throws IOException {
        Path file = model("mlp", 4);
        ModelFile model = ModelFile.load(file);
        float[] inputs = inputs(model, pictures);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < PICTURES; i++) {
            float[] vector = java.util.Arrays.copyOfRange(inputs, i * 784, (i + 1) * 784);
            rows.add(RowFactory.create(i, vector));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> frame = spark.createDataFrame(rows, schema).repartition(3).sortWithinPartitions("id");
        List<Row> scored = BatchInference.load(file).batchSize(64).score(frame, "features").orderBy("id").collectAsList();
        float[] fromPixels = probabilities(BatchInference.load(file).batchSize(64)
                .score(SparkData.of(spark, pictures, 2), SparkData.IMAGE).collectAsList());
        assertArrayEquals(fromPixels, probabilities(scored));
        assertEquals(List.of("id", "prediction", "class", "probabilities"), List.of(scored.getFirst().schema().fieldNames()));
    }

    @Test
    void aBatchOfOneGivesSomaPredictsBitsForPictureFilesLightOnesInverted() throws IOException {
        Path root = Files.createDirectories(dir.resolve("folder"));
        int count = 24;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = Mnist.FASHION_CLASSES.get(pictures.label(i)).replace('/', '-');
            Path file = Files.createDirectories(root.resolve(name)).resolve("picture-" + i + ".png");
            byte[] pixels = i % 3 == 0 ? Background.invert(pictures.image(i)) : pictures.image(i); // some light ones
            writeGray(file, pixels);
            files.add(file);
        }
        Files.writeString(root.resolve("notes.txt"), "not a picture");
        Files.createDirectories(root.resolve(".hidden"));
        writeGray(root.resolve(".hidden/skipped.png"), pictures.image(0));

        Path file = model("cnn", 5);
        ModelFile model = ModelFile.load(file);
        Dataset<Row> folder = SparkData.imageFolder(spark, root.toString(), model.input(), true);
        List<Row> rows = new ArrayList<>(BatchInference.load(file).batchSize(1).score(folder, SparkData.IMAGE).collectAsList());
        assertEquals(count, rows.size());
        List<String> classes = files.stream().map(p -> p.getParent().getFileName().toString()).distinct().sorted().toList();
        Map<Path, Row> byFile = new HashMap<>();
        for (Row row : rows) {
            // binaryFile's paths are Hadoop paths, not escaped URIs ("file:/tmp/Ankle boot/…")
            String path = new org.apache.hadoop.fs.Path(row.getString(row.fieldIndex(SparkData.PATH))).toUri().getPath();
            byFile.put(Path.of(path), row);
        }
        for (Path picture : files) {
            Row row = byFile.get(picture);
            // soma predict's reading: Images.read, inverted when the background is the opposite, batch of 1
            byte[] pixels = Images.read(picture, 1, 28, 28, null);
            boolean light = Background.of(pixels, 1, 28, 28) == Background.LIGHT;
            float[] expected;
            try (NoGrad scope = NoGrad.enter()) {
                Tensor x = model.input().image(light ? Background.invert(pixels) : pixels).unsqueeze(0);
                expected = model.model().forward(x).softmax(-1).toArray();
            }
            assertArrayEquals(expected, probabilities(List.of(row)), picture.toString());
            assertEquals(light, row.getBoolean(row.fieldIndex(SparkData.INVERTED)), picture.toString());
            String name = picture.getParent().getFileName().toString();
            assertEquals(name, row.getString(row.fieldIndex(SparkData.CLASS_NAME)));
            assertEquals(classes.indexOf(name), row.getInt(row.fieldIndex(SparkData.LABEL)));
        }
        assertTrue(rows.stream().anyMatch(r -> r.getBoolean(r.fieldIndex(SparkData.INVERTED))));
    }

    @Test
    void anExecutorLoadsTheModelOncePerTaskSlotNotPerPartition() throws IOException {
        Path file = model("mlp", 6);
        long before = ModelCache.loads();
        long rows = BatchInference.load(file).score(SparkData.of(spark, pictures, 12), SparkData.IMAGE).count();
        assertEquals(PICTURES, rows);
        long loads = ModelCache.loads() - before;
        assertTrue(loads >= 1 && loads <= 2, "local[2] has 2 task slots; 12 partitions loaded the model " + loads + " times");
    }

    @Test
    void fashionMnistIsTheIdxFilesRowsInOrder() throws IOException {
        Dataset<Row> all = SparkData.fashionMnist(spark, DEBIAN_FOLDER, 3);
        assertEquals(List.of("image", "label"), List.of(all.schema().fieldNames()));
        assertEquals(3, all.rdd().getNumPartitions());
        ImageDataset train = Mnist.fashionMnist(DEBIAN_FOLDER, Mnist.Split.TRAIN);
        ImageDataset test = Mnist.fashionMnist(DEBIAN_FOLDER, Mnist.Split.TEST);
        List<Row> counts = all.groupBy("label").count().orderBy("label").collectAsList();
        for (int c = 0; c < 10; c++) {
            assertEquals(c, counts.get(c).getInt(0));
            assertEquals(train.classCounts()[c] + test.classCounts()[c], counts.get(c).getLong(1), "class " + c);
        }
        List<Row> first = all.limit(2).collectAsList();
        assertArrayEquals(train.image(0), (byte[]) first.get(0).getAs("image"));
        assertArrayEquals(train.image(1), (byte[]) first.get(1).getAs("image"));
        assertEquals(train.label(1), first.get(1).getInt(1));
        Dataset<Row> testSplit = SparkData.fashionMnist(spark, DEBIAN_FOLDER, Mnist.Split.TEST, 2);
        assertEquals(test.size(), testSplit.count());
        assertArrayEquals(test.image(0), (byte[]) testSplit.first().getAs("image"));
    }

    @Test
    void badInputsAreRefusedWithTheirReason() throws IOException {
        BatchInference inference = BatchInference.load(model("mlp", 7));
        Dataset<Row> frame = SparkData.of(spark, pictures, 1);
        var missing = assertThrows(IllegalArgumentException.class, () -> inference.score(frame, "pixels"));
        assertEquals("no column 'pixels' to score; the columns are image, label", missing.getMessage());
        var wrongType = assertThrows(IllegalArgumentException.class, () -> inference.score(frame, "label"));
        assertTrue(wrongType.getMessage().startsWith("column 'label' is int;"), wrongType.getMessage());
        Dataset<Row> small = spark.createDataFrame(List.of(RowFactory.create((Object) new byte[100])),
                new StructType().add("image", DataTypes.BinaryType));
        var failure = assertThrows(SparkException.class, () -> inference.score(small, "image").collectAsList());
        assertTrue(String.valueOf(failure.getMessage()).contains("a picture of 100 bytes; the model takes 1 × 28 × 28 = 784"),
                failure.getMessage());
        var notModel = assertThrows(IOException.class, () -> BatchInference.load(dir.resolve("absent.safetensors")));
        assertTrue(notModel.getMessage().contains("absent.safetensors"), notModel.getMessage());
    }

    private static void writeGray(Path file, byte[] pixels) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, pixels);
        ImageIO.write(image, "png", file.toFile());
    }
}

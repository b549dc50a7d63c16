package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.spark.SparkSessions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma spark predict} in-process on {@code local[2]}: its Parquet holds, for every picture,
 * what {@code soma predict} says of that file (with {@code --batch 1}, the same float operations, so
 * the same probability); its JSON has exactly {@code rows}, {@code seconds}, {@code rows_per_second};
 * bad input is one {@code soma:} line, an unreachable master within seconds.
 */
class SparkPredictCommandTest {

    @TempDir
    static Path dir;
    private static Path model;
    private static Path pictures;

    @BeforeAll
    static void trainAModel() throws IOException {
        pictures = CommandTesting.brightAndDark(dir.resolve("pictures"), 8, 0);
        model = dir.resolve("model.safetensors");
        succeed("train", "--data", pictures.toString(), "--model", "mlp", "--epochs", "2", "--seed", "3",
                "--save", model.toString());
    }

    @Test
    void eachPictureGetsSomaPredictsClassAndProbability() throws Exception {
        Path out = dir.resolve("predictions.parquet");
        JsonNode json = succeed("spark", "predict", model.toString(), pictures.toString(), "--master", "local[2]",
                "--batch", "1", "--out", out.toString(), "--json").json();
        assertEquals(List.of("rows", "seconds", "rows_per_second"), fieldNames(json));
        assertEquals(16, json.get("rows").intValue());
        assertEquals(json.get("rows").doubleValue() / json.get("seconds").doubleValue(),
                json.get("rows_per_second").doubleValue(), 1e-6 * json.get("rows_per_second").doubleValue());

        List<String> files = new ArrayList<>();
        try (var walk = Files.walk(pictures)) {
            walk.filter(Files::isRegularFile).map(Path::toString).sorted().forEach(files::add);
        }
        List<String> arguments = new ArrayList<>(List.of("predict", model.toString()));
        arguments.addAll(files);
        arguments.addAll(List.of("--top", "1", "--json"));
        JsonNode predictions = succeed(arguments.toArray(String[]::new)).json().get("predictions");

        SparkSession spark = SparkSessions.start("local[2]", "SparkPredictCommandTest");
        Map<String, Row> rows = new HashMap<>();
        try {
            for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
                String path = new org.apache.hadoop.fs.Path(row.getString(row.fieldIndex("path"))).toUri().getPath();
                rows.put(path, row);
            }
        } finally {
            spark.stop();
        }
        assertEquals(files.size(), rows.size());
        for (JsonNode prediction : predictions) {
            Row row = rows.get(prediction.get("file").asText());
            JsonNode top = prediction.get("top").get(0);
            assertEquals(top.get("class").asText(), row.getString(row.fieldIndex("class")), prediction.toString());
            assertEquals(top.get("index").intValue(), row.getInt(row.fieldIndex("prediction")));
            List<Float> probabilities = row.getList(row.fieldIndex("probabilities"));
            assertEquals((float) top.get("probability").doubleValue(), probabilities.get(top.get("index").intValue()),
                    0f, prediction.toString());
            String folder = Path.of(prediction.get("file").asText()).getParent().getFileName().toString();
            assertEquals(folder, row.getString(row.fieldIndex("label_name")));
        }
    }

    @Test
    void parquetPixelsGiveTheFolderRunsProbabilities() throws Exception {
        Path parquet = dir.resolve("pixels.parquet");
        Path fromFolder = dir.resolve("from-folder.parquet");
        Path fromParquet = dir.resolve("from-parquet.parquet");
        var input = dev.soma.io.ModelFile.load(model).input();
        var pixels = dev.soma.data.ImageFolder.load(pictures, input.channels(), input.height(), input.width());
        SparkSession spark = SparkSessions.start("local[2]", "SparkPredictCommandTest");
        try {
            dev.soma.spark.SparkData.of(spark, pixels, 2).write().parquet(parquet.toString());
        } finally {
            spark.stop();
        }
        succeed("spark", "predict", model.toString(), pictures.toString(), "--master", "local[2]", "--out",
                fromFolder.toString());
        JsonNode json = succeed("spark", "predict", model.toString(), parquet.toString(), "--master", "local[2]",
                "--column", "image", "--out", fromParquet.toString(), "--json").json();
        assertEquals(pixels.size(), json.get("rows").intValue());
        spark = SparkSessions.start("local[2]", "SparkPredictCommandTest");
        try {
            assertEquals(sortedProbabilities(spark, fromFolder), sortedProbabilities(spark, fromParquet));
            assertEquals(List.of("label", "prediction", "class", "probabilities"),
                    List.of(spark.read().parquet(fromParquet.toString()).schema().fieldNames()));
        } finally {
            spark.stop();
        }
    }

    /** Each row's probabilities as text, sorted: the same pictures in any order give the same list. */
    private static List<String> sortedProbabilities(SparkSession spark, Path parquet) {
        List<String> rows = new ArrayList<>();
        for (Row row : spark.read().parquet(parquet.toString()).collectAsList()) {
            rows.add(row.getList(row.fieldIndex("probabilities")).toString());
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void badInputIsOneLineNamingIt() throws IOException {
        Path out = dir.resolve("never.parquet");
        assertUserError(run("spark", "predict", dir.resolve("absent.safetensors").toString(), pictures.toString(),
                "--master", "local[2]", "--out", out.toString()), "no such file or directory", "absent.safetensors");
        assertUserError(run("spark", "predict", model.toString(), dir.resolve("nowhere").toString(),
                "--master", "local[2]", "--out", out.toString()), "no such file or directory", "nowhere");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertUserError(run("spark", "predict", model.toString(), text.toString(), "--master", "local[2]",
                "--out", out.toString()), "neither a folder of pictures nor Parquet");
        Path existing = Files.createDirectories(dir.resolve("existing.parquet"));
        assertUserError(run("spark", "predict", model.toString(), pictures.toString(), "--master", "local[2]",
                "--out", existing.toString()), "already exists", "--overwrite");
        assertUserError(run("spark", "predict", model.toString(), pictures.toString(), "--batch", "0",
                "--out", out.toString()), "--batch must be ≥ 1, got 0");
    }

    @Test
    void anUnreachableMasterIsAnErrorWithinSeconds() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        long start = System.nanoTime();
        var result = run("spark", "predict", model.toString(), pictures.toString(), "--master",
                "spark://127.0.0.1:" + port, "--out", dir.resolve("unreached.parquet").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertUserError(result, "cannot reach the Spark master spark://127.0.0.1:" + port);
        assertTrue(seconds < 10, "took " + seconds + " s");
    }
}

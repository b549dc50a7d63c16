package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SparkPredict}'s checks that need no Spark session: what the input is, a failure's reason, the master's address. */
class SparkPredictTest {

    @Test
    void theInputIsParquetOrAFolderOfPictures(@TempDir Path dir) throws IOException {
        Path pictures = Files.createDirectories(dir.resolve("photos/cats"));
        Files.write(pictures.resolve("a.png"), new byte[] {1});
        assertFalse(SparkPredict.parquet(dir.resolve("photos").toString(), true));
        Path written = Files.createDirectories(dir.resolve("spark-output"));
        Files.write(written.resolve("part-00000-x.snappy.parquet"), new byte[] {1});
        assertTrue(SparkPredict.parquet(written.toString(), true));
        Path file = Files.write(dir.resolve("one.parquet"), new byte[] {1});
        assertTrue(SparkPredict.parquet(file.toString(), true));
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        var neither = assertThrows(IllegalArgumentException.class, () -> SparkPredict.parquet(text.toString(), true));
        assertTrue(neither.getMessage().contains("neither a folder of pictures nor Parquet"), neither.getMessage());
        assertThrows(NoSuchFileException.class, () -> SparkPredict.parquet(dir.resolve("absent").toString(), true));
        assertTrue(SparkPredict.parquet("hdfs://name/data/images.parquet", false));
        assertFalse(SparkPredict.parquet("hdfs://name/data/photos", false));
    }

    @Test
    void aFailedJobsReasonIsTheTasksOwnMessage() {
        // local mode: the task's exception is a cause of Spark's
        var local = new RuntimeException("Job aborted due to stage failure: …",
                new DataFileException(Path.of("photos/x.png"), "ImageIO cannot decode this file", null));
        assertEquals(new DataFileException(Path.of("photos/x.png"), "ImageIO cannot decode this file", null).getMessage(),
                SparkPredict.reason(local));
        // a cluster: the executor's exception arrives as text in Spark's message
        var cluster = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times, most"
                + " recent failure: Lost task 0.3 in stage 1.0 (TID 7) (10.0.0.5 executor 1):"
                + " java.lang.IllegalArgumentException: a picture of 100 bytes; the model takes 1 × 28 × 28 = 784\n"
                + "\tat dev.soma.spark.BatchInference$Scorer$Batches.fill(BatchInference.java:270)\n");
        assertEquals("a picture of 100 bytes; the model takes 1 × 28 × 28 = 784", SparkPredict.reason(cluster));
        assertEquals("something else", SparkPredict.reason(new RuntimeException("something else\nmore")));
    }

    @Test
    void aMasterThatDoesNotListenIsReportedAtOnce() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        var failure = assertThrows(IOException.class, () -> Masters.checkReachable(master, Duration.ofSeconds(2)));
        assertTrue(failure.getMessage().startsWith("cannot reach the Spark master " + master + " (127.0.0.1:" + port),
                failure.getMessage());
        Masters.checkReachable("local[2]", Duration.ofSeconds(2)); // not a network address: passes
        var malformed = assertThrows(IllegalArgumentException.class,
                () -> Masters.checkReachable("spark://nohostport", Duration.ofSeconds(2)));
        assertEquals("--master spark://nohostport: expected spark://HOST:PORT", malformed.getMessage());
    }
}

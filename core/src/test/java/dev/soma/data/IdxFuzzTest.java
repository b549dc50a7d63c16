package dev.soma.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.soma.testing.Fuzzing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Fuzz targets of the IDX reader and the MNIST pair reader: any bytes give an {@link IdxArray} or a
 * {@link DataFileException}, and never allocate more than the data really there (a header may claim
 * 2³¹ elements). The corpus is in {@code IdxFuzzTestInputs/<method>/}; docs/RELIABILITY.md says how
 * to fuzz.
 */
class IdxFuzzTest {

    /** 64 MB: an input of at most a few kB that decompresses to more is not one a fuzzer makes. */
    private static final long MAX_BYTES = 64L << 20;

    /** The bytes as a file, raw or (when they start 1F 8B) gzip. */
    @FuzzTest(maxDuration = "10m")
    void idx(byte[] data) {
        Path file = Fuzzing.file("data-idx", data);
        Fuzzing.expect(MAX_BYTES, () -> IdxReader.read(file), DataFileException.class);
    }

    /** The bytes gzipped first, so that the fuzzer's bytes reach the header and data behind the gzip layer. */
    @FuzzTest(maxDuration = "10m")
    void idxGzip(byte[] data) throws IOException {
        Path file = Fuzzing.file("data-idx.gz", gzip(data));
        Fuzzing.expect(MAX_BYTES, () -> IdxReader.read(file), DataFileException.class);
    }

    /**
     * An images file and a labels file, as Fashion-MNIST's training split: the first two bytes
     * (big-endian) say how many of the rest are the images file, the labels file is what follows.
     */
    @FuzzTest(maxDuration = "10m")
    void fashionMnistPair(byte[] data) {
        int split = data.length < 2 ? 0 : Math.min((data[0] & 0xFF) << 8 | data[1] & 0xFF, data.length - 2);
        byte[] images = Arrays.copyOfRange(data, Math.min(2, data.length), Math.min(2, data.length) + split);
        byte[] labels = Arrays.copyOfRange(data, Math.min(2, data.length) + split, data.length);
        Fuzzing.file("train-images-idx3-ubyte", images);
        Fuzzing.file("train-labels-idx1-ubyte", labels);
        Fuzzing.expect(MAX_BYTES, () -> Mnist.load(Fuzzing.folder(), Mnist.Split.TRAIN, Mnist.FASHION_CLASSES),
                DataFileException.class);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}

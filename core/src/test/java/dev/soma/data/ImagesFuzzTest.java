package dev.soma.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.soma.testing.Fuzzing;
import java.nio.file.Path;

/**
 * Fuzz target of image decoding ({@link Images#read}, what {@link ImageFolder} and {@code soma
 * predict} call): any bytes give pixels or a {@link DataFileException}; a header that declares more
 * than {@link Images#MAX_PIXELS} pixels is refused before the decoder allocates them. The corpus (PNG,
 * JPEG, GIF, BMP) is in {@code ImagesFuzzTestInputs/decode/}.
 */
class ImagesFuzzTest {

    /** Enough for the largest picture allowed (2²⁵ pixels) to be decoded, converted and resized. */
    private static final long MAX_BYTES = 512L << 20;

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] data) {
        Path file = Fuzzing.file("picture", data);
        Fuzzing.expect(MAX_BYTES, () -> Images.read(file, 1, 28, 28, null), DataFileException.class);
    }
}

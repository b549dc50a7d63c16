package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Tensor;
import dev.soma.testing.Fuzzing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IDX files: the byte layout, a round trip of every type raw and gzipped, and every corruption's message. */
class IdxFilesTest {

    @TempDir
    Path folder;

    /** Each non-byte type with values at its edges (all exact in a float). */
    static Stream<Arguments> floatTypes() {
        return Stream.of(
                Arguments.of(IdxType.I8, new float[] {-128, -1, 0, 1, 127, 42}),
                Arguments.of(IdxType.I16, new float[] {-32768, -1, 0, 1, 32767, 300}),
                Arguments.of(IdxType.I32, new float[] {Integer.MIN_VALUE, -1, 0, 1 << 24, 2147483520f, -70000}),
                Arguments.of(IdxType.F32, new float[] {Float.NaN, -0f, Float.MIN_VALUE, Float.MAX_VALUE,
                        Float.NEGATIVE_INFINITY, 0.1f}),
                Arguments.of(IdxType.F64, new float[] {Float.NaN, -0f, Float.MIN_VALUE, -Float.MAX_VALUE,
                        Float.POSITIVE_INFINITY, 1e-3f}));
    }

    static Stream<Arguments> floatTypesRawAndGzip() {
        return floatTypes().flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], false),
                Arguments.of(a.get()[0], a.get()[1], true)));
    }

    @ParameterizedTest(name = "{0}, gzip {2}")
    @MethodSource("floatTypesRawAndGzip")
    void roundTripsEveryType(IdxType type, float[] values, boolean gzip) throws IOException {
        for (int[] shape : new int[][] {{6}, {2, 3}, {3, 1, 2}}) {
            Path file = folder.resolve("data-" + type + (gzip ? ".gz" : ""));
            IdxWriter.write(file, IdxArray.ofFloats(type, values, shape));
            assertEquals(gzip, isGzip(file));
            IdxArray read = IdxReader.read(file);
            assertEquals(type, read.type());
            assertArrayEquals(shape, read.shape());
            assertArrayEquals(values, read.floats(), type + " " + Arrays.toString(shape)); // NaN, -0 compared by bits
        }
    }

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void roundTripsUnsignedBytesAsBytes(boolean gzip) throws IOException {
        byte[] pixels = {0, 1, 127, (byte) 128, (byte) 255, 7};
        Path file = folder.resolve("pixels");
        IdxWriter.write(file, IdxArray.ofBytes(pixels, 3, 2), gzip);
        IdxArray read = IdxReader.read(file);
        assertEquals(IdxType.U8, read.type());
        assertArrayEquals(new int[] {3, 2}, read.shape());
        assertArrayEquals(pixels, read.bytes());
        assertEquals(255, read.get(4));
        assertArrayEquals(new float[] {0, 1, 127, 128, 255, 7}, read.toTensor().toArray());
        assertArrayEquals(new int[] {3, 2}, read.toTensor().shape());
        assertThrows(IllegalStateException.class, read::floats);
    }

    @Test
    void anEmptyDimensionRoundTrips() throws IOException {
        Path file = folder.resolve("empty");
        IdxWriter.write(file, IdxArray.ofFloats(IdxType.F32, new float[0], 0, 3));
        assertEquals(4 + 8, Files.size(file));
        IdxArray read = IdxReader.read(file);
        assertArrayEquals(new int[] {0, 3}, read.shape());
        assertEquals(0, read.length());
    }

    @Test
    void theLayoutIsBigEndianAsSpecified() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.write(out, IdxArray.ofFloats(IdxType.I16, new float[] {1, -2}, 2));
        assertArrayEquals(bytes(0, 0, 0x0B, 1, 0, 0, 0, 2, 0, 1, 0xFF, 0xFE), out.toByteArray());
        out.reset();
        IdxWriter.write(out, IdxArray.ofFloats(IdxType.F32, new float[] {1.5f}, 1, 1));
        assertArrayEquals(bytes(0, 0, 0x0D, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0x3F, 0xC0, 0, 0), out.toByteArray());
    }

    @Test
    void readsAHandWrittenFile() throws IOException {
        Path file = write("hand", bytes(0, 0, 0x0C, 1, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFE, 0, 1, 0, 0));
        IdxArray read = IdxReader.read(file);
        assertEquals(IdxType.I32, read.type());
        assertArrayEquals(new float[] {-2, 65536}, read.floats());
    }

    @Test
    void gzipIsDetectedByItsMagicNotByTheName() throws IOException {
        byte[] idx = bytes(0, 0, 8, 1, 0, 0, 0, 3, 5, 6, 7);
        Path rawNamedGz = write("raw.gz", idx);
        Path gzipNamedRaw = write("gzip-without-suffix", gzip(idx));
        assertArrayEquals(bytes(5, 6, 7), IdxReader.read(rawNamedGz).bytes());
        assertArrayEquals(bytes(5, 6, 7), IdxReader.read(gzipNamedRaw).bytes());
    }

    @Test
    void theWriterRejectsValuesItsTypeCannotHold() {
        Path file = folder.resolve("bad");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.write(file, IdxArray.ofFloats(IdxType.I8, new float[] {1, 128}, 2)));
        assertTrue(error.getMessage().contains("element 1 is 128.0"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.write(file, IdxArray.ofFloats(IdxType.I16, new float[] {0.5f}, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.write(file, IdxArray.ofFloats(IdxType.I32, new float[] {Float.NaN}, 1)));
        assertThrows(IllegalArgumentException.class, () -> IdxArray.ofBytes(new byte[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> IdxArray.ofBytes(new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> IdxArray.ofFloats(IdxType.U8, new float[1], 1));
    }

    // Corruptions: each names the file and the offset, counted in the decompressed stream for gzip.

    /** Each broken file, the offset of its problem and the problem, checked raw and gzipped. */
    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("empty file", bytes(), 0, "the file ends inside the 4-byte header (magic, type, rank)"),
                Arguments.of("bad first magic byte", bytes(1, 0, 8, 1, 0, 0, 0, 0), 0,
                        "bad magic 0x01 0x00 (an IDX file starts with two zero bytes)"),
                Arguments.of("bad second magic byte", bytes(0, 0x42, 8, 1), 1,
                        "bad magic 0x00 0x42 (an IDX file starts with two zero bytes)"),
                Arguments.of("unknown type", bytes(0, 0, 7, 1, 0, 0, 0, 0), 2,
                        "unknown IDX type 0x07 (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)"),
                Arguments.of("type 0x0A", bytes(0, 0, 0x0A, 1, 0, 0, 0, 0), 2,
                        "unknown IDX type 0x0A (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)"),
                Arguments.of("rank 0", bytes(0, 0, 8, 0, 5), 3, "rank 0 (an IDX file holds at least one dimension)"),
                Arguments.of("ends before the rank", bytes(0, 0, 8), 3,
                        "the file ends inside the 4-byte header (magic, type, rank)"),
                Arguments.of("ends inside the sizes", bytes(0, 0, 8, 3, 0, 0, 0, 5, 0, 0), 10,
                        "the file ends inside the header (rank 3 needs 16 header bytes)"),
                Arguments.of("too many elements", bytes(0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0), 8,
                        "size 65536 of dimension 1 makes more than 2,147,483,639 elements, more than a Java array"
                                + " holds"),
                // Found by fuzzing (IdxFuzzTest.idx): after a size 0 the element count stayed 0, and a size
                // of 2^32 - 1 became the int -1, which IdxArray refused with an IllegalArgumentException.
                Arguments.of("a size over 2^31 after a size 0", bytes(0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 2,
                        0xFF, 0xFF, 0xFF, 0xFF), 12, "size 4294967295 of dimension 2 is more than the 2,147,483,639"
                                + " elements a Java array holds"),
                Arguments.of("truncated u8 data", concat(bytes(0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0, 0, 28, 0, 0, 0, 28),
                        new byte[7832]), 7848, "the file ends here, but the header promises 7,840,000 bytes of data"
                                + " ([10000, 28, 28] U8), 7,840,016 bytes in all"),
                Arguments.of("truncated f64 data", bytes(0, 0, 0x0E, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x3F), 17,
                        "the file ends here, but the header promises 16 bytes of data ([2] F64), 24 bytes in all"),
                Arguments.of("trailing bytes", bytes(0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3, 4, 5), 10,
                        "3 trailing bytes after the data (the header promises 10 bytes in all)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aCorruptRawFileNamesTheFileAndOffset(String what, byte[] content, long offset, String problem)
            throws IOException {
        Path file = write("t10k-labels-idx1-ubyte", content);
        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        assertEquals(file + ": byte " + offset + ": " + problem, error.getMessage());
        assertEquals(file, error.file());
        assertEquals(offset, error.offset());
        assertFalse(error.decompressed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aCorruptGzipFileCountsDecompressedBytes(String what, byte[] content, long offset, String problem)
            throws IOException {
        Path file = write("t10k-labels-idx1-ubyte.gz", gzip(content));
        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        assertEquals(file + ": byte " + offset + " of the decompressed stream: " + problem, error.getMessage());
        assertTrue(error.decompressed());
    }

    @Test
    void gzipGarbageIsReportedAsSuch() throws IOException {
        Path file = write("garbage.gz", bytes(0x1F, 0x8B, 0x42, 0x13, 0x37, 0, 1, 2, 3));
        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        assertTrue(error.getMessage().startsWith(file + ": byte 0 of the decompressed stream: corrupt gzip data ("),
                error.getMessage());
    }

    @Test
    void aTruncatedGzipStreamIsReportedWhereItBreaks() throws IOException {
        byte[] idx = new byte[8 + 5000];
        idx[2] = 8;
        idx[3] = 1;
        ByteBuffer.wrap(idx, 4, 4).putInt(5000);
        for (int i = 8; i < idx.length; i++) {
            idx[i] = (byte) (i * 7919 >> 3); // not too compressible
        }
        byte[] zipped = gzip(idx);
        Path file = write("cut.gz", Arrays.copyOf(zipped, zipped.length - 20)); // loses the trailer and some data
        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        assertTrue(error.getMessage().contains(" of the decompressed stream: corrupt gzip data ("), error.getMessage());
        assertTrue(error.offset() > 8 && error.offset() <= idx.length, "offset " + error.offset());
    }

    @Test
    void aGzipFileWithABadChecksumIsAnError() throws IOException {
        byte[] zipped = gzip(bytes(0, 0, 8, 1, 0, 0, 0, 2, 1, 2));
        zipped[zipped.length - 8] ^= 1; // the CRC-32 in the trailer
        Path file = write("crc.gz", zipped);
        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        assertEquals(10, error.offset(), error.getMessage());
        assertTrue(error.getMessage().contains("corrupt gzip data"), error.getMessage());
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThrows(IOException.class, () -> IdxReader.read(folder.resolve("absent")));
    }

    @Test
    void toTensorKeepsFloatValues() {
        Tensor tensor = IdxArray.ofFloats(IdxType.F32, new float[] {1.5f, -2}, 2, 1).toTensor();
        assertArrayEquals(new int[] {2, 1}, tensor.shape());
        assertArrayEquals(new float[] {1.5f, -2}, tensor.toArray());
    }

    // Found by fuzzing (IdxFuzzTest): the reader allocated what the header declared before reading it.

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void aHeaderClaimingAGigabyteFailsWhereTheFileEndsWithoutAllocatingIt(boolean gzip) throws IOException {
        byte[] content = concat(bytes(0, 0, 0x0D, 1, 0x10, 0, 0, 0), new byte[16]); // f32 [2^28]: 1 GiB of data
        Path file = write(gzip ? "big.gz" : "big", gzip ? gzip(content) : content);
        long before = Fuzzing.allocatedBytes();
        DataFileException error = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        long allocated = Fuzzing.allocatedBytes() - before;
        assertEquals(24, error.offset());
        assertTrue(error.getMessage().endsWith("the file ends here, but the header promises 1,073,741,824 bytes of"
                + " data ([268435456] F32), 1,073,741,832 bytes in all"), error.getMessage());
        assertTrue(allocated < 8 << 20, allocated + " bytes allocated for a 24-byte file");
    }

    /** Arrays larger than the first allocation (64 Ki elements) grow as they are read, and come out whole. */
    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void arraysLargerThanTheFirstAllocationRoundTrip(boolean gzip) throws IOException {
        byte[] bytes = new byte[3 * 100_001];
        float[] floats = new float[150_001];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 9));
        }
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i * 0.5f - 7;
        }
        Path u8 = folder.resolve("u8" + (gzip ? ".gz" : ""));
        Path f32 = folder.resolve("f32" + (gzip ? ".gz" : ""));
        IdxWriter.write(u8, IdxArray.ofBytes(bytes, 3, 100_001));
        IdxWriter.write(f32, IdxArray.ofFloats(IdxType.F32, floats, floats.length));
        assertArrayEquals(bytes, IdxReader.read(u8).bytes());
        assertArrayEquals(floats, IdxReader.read(f32).floats());
    }

    // helpers

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zipped = new GZIPOutputStream(out)) {
            zipped.write(content);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(folder.resolve(name), content);
    }

    private static boolean isGzip(Path file) throws IOException {
        byte[] start = Files.readAllBytes(file);
        return start.length >= 2 && (start[0] & 0xFF) == 0x1F && (start[1] & 0xFF) == 0x8B;
    }
}

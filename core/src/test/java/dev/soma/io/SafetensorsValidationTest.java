package dev.soma.io;

import static dev.soma.io.Bytes.ascii;
import static dev.soma.io.Bytes.concat;
import static dev.soma.io.Bytes.f32;
import static dev.soma.io.Bytes.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a safetensors file can be broken, and the message that says so. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    /** A valid entry for tensor {@code name} of {@code count} floats at data bytes {@code [begin, begin + 4·count)}. */
    private static String f32Entry(String name, int count, int begin) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[" + count + "],\"data_offsets\":[" + begin + ","
                + (begin + 4 * count) + "]}";
    }

    static Stream<Arguments> brokenFiles() {
        byte[] eight = f32(1, 2);
        return Stream.of(
                Arguments.of("shorter than 8 bytes", new byte[] {1, 2, 3, 4, 5},
                        "not a safetensors file: it has 5 bytes, fewer than the 8 of the header length"),
                Arguments.of("header over 100 MB", concat(u64(100_000_001), ascii("{}")),
                        "header length 100000001 is over the safetensors limit of 100000000 bytes"),
                Arguments.of("header length with the top bit set", concat(u64(-1), ascii("{}")),
                        "header length 18446744073709551615 is over the safetensors limit"),
                Arguments.of("a PNG picture", concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, new byte[40]),
                        "not a safetensors file: it is a PNG image"),
                Arguments.of("a JPEG picture", concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, new byte[40]),
                        "not a safetensors file: it is a JPEG image"),
                Arguments.of("a PyTorch .pt zip", concat(ascii("PK"), new byte[] {3, 4}, new byte[40]),
                        "not a safetensors file: it is a zip archive (a PyTorch .pt file is one"),
                Arguments.of("a model spec", ascii("{\"format\":\"soma-model/1\",\"input\":[2],\"layers\":[]}"),
                        "not a safetensors file: it is JSON text (a model spec is trained with soma train --model"),
                Arguments.of("an IDX file", concat(new byte[] {0, 0, 8, 3, 0, 0, (byte) 0xEA, 0x60}, new byte[40]),
                        "not a safetensors file: it is an IDX data file"),
                Arguments.of("header past the end", concat(u64(100), ascii("{}")),
                        "header length 100 runs past the end of the file (10 bytes)"),
                Arguments.of("invalid UTF-8", concat(u64(4), new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'}),
                        "the header is not valid UTF-8"),
                Arguments.of("invalid JSON", Bytes.file("{\"a\":", new byte[0]),
                        "the header is not valid JSON at line 1, column 6"),
                Arguments.of("garbage after the object", Bytes.file("{}   x", new byte[0]),
                        "the header is not valid JSON"),
                Arguments.of("empty header", Bytes.file("", new byte[0]),
                        "the header is missing, expected a JSON object"),
                Arguments.of("an array", Bytes.file("[1,2]", new byte[0]),
                        "the header is an array, expected a JSON object"),
                Arguments.of("duplicate names", Bytes.file("{" + f32Entry("a", 2, 0) + "," + f32Entry("a", 2, 0) + "}", eight),
                        "Duplicate field 'a'"),
                Arguments.of("duplicate field inside an entry",
                        Bytes.file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", eight),
                        "Duplicate field 'dtype'"),
                Arguments.of("entry not an object", Bytes.file("{\"a\":[0,8]}", eight),
                        "tensor 'a' is an array, expected an object with dtype, shape and data_offsets"),
                Arguments.of("missing dtype", Bytes.file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': missing field 'dtype'"),
                Arguments.of("dtype not a string", Bytes.file("{\"a\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': dtype is the integer 32, expected a string such as \"F32\""),
                Arguments.of("unknown dtype", Bytes.file("{\"a\":{\"dtype\":\"float32\",\"shape\":[2],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': unknown dtype 'float32'"),
                Arguments.of("missing shape", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': missing field 'shape'"),
                Arguments.of("shape not an array", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': shape is the integer 2, expected an array"),
                Arguments.of("negative shape", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': shape[1] is the integer -1, expected a non-negative integer"),
                Arguments.of("non-integer shape", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': shape[0] is the number 2.0, expected a non-negative integer"),
                Arguments.of("string in shape", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': shape[0] is a string, expected a non-negative integer"),
                Arguments.of("dimension too large", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': shape[0] is 3000000000, larger than 2147483647"),
                Arguments.of("shape overflows", Bytes.file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
                        + "\"data_offsets\":[0,8]}}", eight), "tensor 'a': shape [2147483647, 2147483647, 2147483647] has too many elements"),
                Arguments.of("missing data_offsets", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight),
                        "tensor 'a': missing field 'data_offsets'"),
                Arguments.of("three offsets", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", eight),
                        "tensor 'a': data_offsets has 3 values, expected 2 [begin, end]"),
                Arguments.of("negative offset", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", eight),
                        "tensor 'a': data_offsets[0] is the integer -8, expected a non-negative integer"),
                Arguments.of("offsets backwards", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", eight),
                        "tensor 'a': data_offsets [8, 0] end before they begin"),
                Arguments.of("dtype × shape ≠ bytes", Bytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight),
                        "tensor 'a': F32 of shape [3] takes 12 bytes, but its data_offsets [0, 8] span 8"),
                Arguments.of("offsets past the end", Bytes.file("{" + f32Entry("a", 2, 0) + "," + f32Entry("b", 1, 8) + "}", eight),
                        "tensor 'b': data_offsets [8, 12] run past the end of the file: the data section has 8 bytes, from file offset"),
                Arguments.of("overlap", Bytes.file("{" + f32Entry("a", 2, 0) + "," + f32Entry("b", 2, 4) + "}", f32(1, 2, 3)),
                        "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8]), at file offset"),
                Arguments.of("gap", Bytes.file("{" + f32Entry("a", 1, 0) + "," + f32Entry("b", 1, 8) + "}", f32(1, 2, 3)),
                        "data bytes [4, 8) belong to no tensor (a gap between 'a' and 'b'), at file offset"),
                Arguments.of("gap at the start", Bytes.file("{" + f32Entry("a", 1, 4) + "}", eight),
                        "data bytes [0, 4) belong to no tensor (a gap before the first tensor 'a')"),
                Arguments.of("trailing bytes", Bytes.file("{" + f32Entry("a", 1, 0) + "}", f32(1, 2, 3)),
                        "8 trailing bytes after the last tensor, at file offset"),
                Arguments.of("metadata not an object", Bytes.file("{\"__metadata__\":[\"a\"]}", new byte[0]),
                        "__metadata__ is an array, expected an object of strings"),
                Arguments.of("metadata value not a string", Bytes.file("{\"__metadata__\":{\"epochs\":10}}", new byte[0]),
                        "__metadata__ value of 'epochs' is the integer 10, expected a string"),
                Arguments.of("F4 elements in half a byte", Bytes.file("{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,1]}}", new byte[1]),
                        "tensor 'a': 3 elements of F4 do not fill a whole number of bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void rejectsABrokenFileWithAClearMessage(String description, byte[] contents, String expected) throws IOException {
        Path file = Files.write(dir.resolve("broken.safetensors"), contents);
        for (Reader reader : new Reader[] {Safetensors::read, Safetensors::readHeader}) {
            FileFormatException e = assertThrows(FileFormatException.class, () -> reader.read(file), description);
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
            assertEquals(file, e.file());
        }
    }

    @FunctionalInterface
    private interface Reader {
        Object read(Path file) throws IOException;
    }

    @Test
    void namesTheByteOffsetsInTheFile() throws IOException {
        // header "{...}" of length n, data starting at 8 + n: the gap at data byte 4 is at file byte 12 + n
        String json = "{" + f32Entry("a", 1, 0) + "," + f32Entry("b", 1, 8) + "}";
        Path file = Bytes.write(dir.resolve("gap.safetensors"), json, f32(1, 2, 3));
        FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().endsWith("at file offset " + (8 + json.length() + 4)), e.getMessage());
    }

    @Test
    void rejectsTypesSomaDoesNotReadWithTheTensorNameAndType() throws IOException {
        for (String dtype : new String[] {"U64", "U16", "U32", "F8_E4M3", "C64"}) {
            int bytes = switch (dtype) {
                case "U64", "C64" -> 16;
                case "U32" -> 8;
                case "U16" -> 4;
                default -> 2;
            };
            Path file = Bytes.write(dir.resolve(dtype + ".safetensors"), "{\"labels\":{\"dtype\":\"" + dtype
                    + "\",\"shape\":[2],\"data_offsets\":[0," + bytes + "]}}", new byte[bytes]);
            FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.read(file));
            assertEquals(file + ": tensor 'labels' has dtype " + dtype + ", which Soma does not read: it reads F32, F64,"
                    + " F16, BF16, I64, I32, I16, I8, U8 and BOOL", e.getMessage());
            assertEquals(dtype, Safetensors.readHeader(file).tensors().get("labels").dtype());
        }
    }

    @Test
    void acceptsZeroSizeTensorsAnywhereAndNullMetadata() throws IOException {
        String json = "{\"__metadata__\":null,\"e\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[4,4]},"
                + f32Entry("a", 1, 0) + ",\"s\":{\"dtype\":\"BF16\",\"shape\":[3,0],\"data_offsets\":[4,4]}}";
        Path file = Bytes.write(dir.resolve("zero.safetensors"), json + "   ", f32(5));
        SafetensorsFile read = Safetensors.read(file);
        assertEquals(3, read.tensors().size());
        assertEquals(0, read.tensors().get("e").numel());
        assertEquals(5f, read.tensors().get("a").item());
        assertTrue(read.metadata().isEmpty());
    }

    @Test
    void rejectsADirectoryAndAMissingFile() {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.read(dir));
        assertEquals(dir + ": is a directory, not a safetensors file", e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Safetensors.read(dir.resolve("missing.safetensors")));
    }
}

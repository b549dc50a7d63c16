package dev.soma.io;

import static dev.soma.io.Bytes.ascii;
import static dev.soma.io.Bytes.concat;
import static dev.soma.io.Bytes.f32;
import static dev.soma.io.Bytes.f64;
import static dev.soma.io.Bytes.u16;
import static dev.soma.io.Bytes.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.Linear;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact bytes Soma writes, round trips, the float types it reads, and atomic writing. */
class SafetensorsTest {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- exact bytes

    @Test
    void writesTheExactBytesOfASmallFile() throws IOException {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(file, Map.of("a", Tensor.vector(1, 2)));

        // serde_json's compact form, the keys in the reference's order, then spaces to 56 = 7·8 bytes.
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(54, json.length());
        byte[] expected = concat(
                new byte[] {56, 0, 0, 0, 0, 0, 0, 0},
                ascii(json), ascii("  "),
                new byte[] {0, 0, (byte) 0x80, 0x3F}, // 1.0f = 0x3F800000, little-endian
                new byte[] {0, 0, 0, 0x40}); // 2.0f = 0x40000000
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void matchesTheReferenceImplementationsOwnTestVectors() throws IOException {
        // From the reference's tests: "attn0" [1, 1, 2, 3] = 0..5 has a 72-byte header (65 + 7 spaces).
        Path file = dir.resolve("attn0.safetensors");
        Safetensors.write(file, Map.of("attn0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)));
        assertArrayEquals(concat(u64(72),
                ascii("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       "),
                f32(0, 1, 2, 3, 4, 5)), Files.readAllBytes(file));

        // No tensors: "{}" and six spaces; with metadata, __metadata__ and five spaces.
        Path empty = dir.resolve("empty.safetensors");
        Safetensors.write(empty, Map.of());
        assertArrayEquals(concat(u64(8), ascii("{}      ")), Files.readAllBytes(empty));
        Safetensors.write(empty, Map.of(), Map.of("framework", "pt"));
        assertArrayEquals(concat(u64(40), ascii("{\"__metadata__\":{\"framework\":\"pt\"}}     ")),
                Files.readAllBytes(empty));
    }

    @Test
    void writesTensorsInTheGivenOrderWithContiguousData() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z", Tensor.vector(7));
        tensors.put("a", Tensor.matrix(new float[][] {{1, 2}, {3, 4}}).t()); // a view: written row-major
        Path file = dir.resolve("order.safetensors");
        Safetensors.write(file, tensors);

        String json = "{\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        assertArrayEquals(concat(u64(padded.length()), ascii(padded), f32(7, 1, 3, 2, 4)), Files.readAllBytes(file));
        SafetensorsHeader header = Safetensors.readHeader(file);
        assertEquals(List.of("z", "a"), List.copyOf(header.tensors().keySet()));
        assertEquals(new TensorInfo("a", "F32", new int[] {2, 2}, 4, 20), header.tensors().get("a"));
        assertEquals(8 + padded.length(), header.dataStart());
        assertEquals(20, header.dataLength());
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void roundTripsAStateDictWithMetadata() throws IOException {
        Sequential model = new Sequential(new Linear(3, 4, new Generator(1)), new ReLU(),
                new Linear.Spec(4, 2).bias(false).build(new Generator(2)));
        Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
        state.put("scalar", Tensor.scalar(-0.0f));
        state.put("empty", Tensor.zeros(0, 3));
        state.put("specials", Tensor.vector(Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("note", "poids, Gewichte, 重み \"quoted\"\n");
        metadata.put("empty", "");
        Path file = dir.resolve("state.safetensors");
        Safetensors.write(file, state, metadata);

        SafetensorsFile read = Safetensors.read(file);
        assertEquals(List.copyOf(state.keySet()), List.copyOf(read.tensors().keySet()));
        state.forEach((name, expected) -> {
            Tensor actual = read.tensors().get(name);
            assertArrayEquals(expected.shape(), actual.shape(), name);
            float[] e = expected.toArray();
            float[] a = actual.toArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
            }
            assertEquals("F32", read.dtypes().get(name));
        });
        assertEquals(metadata, read.metadata());
        assertEquals(List.of("note", "empty"), List.copyOf(read.metadata().keySet()));
        assertEquals(0, Files.size(file) % 4, "8 + padded header + floats keeps floats aligned");
    }

    @Test
    void readsAMegabyteModelQuicklyAndExactly() throws IOException {
        Tensor big = Tensor.randn(new Generator(3), 512, 600); // 1.2 MB of data
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, Map.of("w", big, "b", Tensor.randn(new Generator(4), 600)));
        long start = System.nanoTime();
        SafetensorsFile read = Safetensors.read(file);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertArrayEquals(big.toArray(), read.tensors().get("w").toArray());
        assertTrue(millis < 5_000, "reading 1.2 MB took " + millis + " ms");
    }

    // ---------------------------------------------------------------- other float types

    @Test
    void readsF16() throws IOException {
        // 1.5 = 0x3E00, -2 = 0xC000, 65504 (the largest half) = 0x7BFF, 2⁻²⁴ (the smallest subnormal) = 0x0001
        Path file = Bytes.write(dir.resolve("f16.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", u16(0x3E00, 0xC000, 0x7BFF, 0x0001));
        SafetensorsFile read = Safetensors.read(file);
        assertArrayEquals(new float[] {1.5f, -2f, 65504f, 0x1p-24f}, read.tensors().get("h").toArray());
        assertArrayEquals(new int[] {2, 2}, read.tensors().get("h").shape());
        assertEquals("F16", read.dtypes().get("h"));
    }

    @Test
    void readsBF16() throws IOException {
        // bf16 keeps a float's top 16 bits: 3.140625 = 0x40490000 → 0x4049; -1 = 0xBF80; -∞ = 0xFF80
        Path file = Bytes.write(dir.resolve("bf16.safetensors"),
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]}}", u16(0x4049, 0xBF80, 0xFF80));
        SafetensorsFile read = Safetensors.read(file);
        assertArrayEquals(new float[] {3.140625f, -1f, Float.NEGATIVE_INFINITY}, read.tensors().get("b").toArray());
        assertEquals("BF16", read.dtypes().get("b"));
    }

    @Test
    void readsF64NarrowedToFloat() throws IOException {
        Path file = Bytes.write(dir.resolve("f64.safetensors"),
                "{\"d\":{\"dtype\":\"F64\",\"shape\":[1,3],\"data_offsets\":[0,24]}}", f64(0.1, -2.5, 1e300));
        SafetensorsFile read = Safetensors.read(file);
        assertArrayEquals(new float[] {0.1f, -2.5f, Float.POSITIVE_INFINITY}, read.tensors().get("d").toArray());
        assertEquals("F64", read.dtypes().get("d"));
    }

    @Test
    void readsMixedTypesAtUnalignedOffsetsInHeaderOrder() throws IOException {
        // Header order differs from data order, and the F32 tensor starts at an odd file offset.
        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[2,6]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}";
        Path file = Bytes.write(dir.resolve("mixed.safetensors"), json, concat(u16(0x3C00), f32(-7.25f)));
        SafetensorsFile read = Safetensors.read(file);
        assertEquals(List.of("f", "h"), List.copyOf(read.tensors().keySet()));
        assertEquals(-7.25f, read.tensors().get("f").item());
        assertEquals(0, read.tensors().get("f").dim());
        assertEquals(1f, read.tensors().get("h").item());
        assertEquals(Map.of("f", "F32", "h", "F16"), read.dtypes());
        assertEquals(Map.of("k", "v"), read.metadata());
    }

    @Test
    void readHeaderDescribesTypesSomaDoesNotRead() throws IOException {
        Path file = Bytes.write(dir.resolve("ints.safetensors"),
                "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
        TensorInfo info = Safetensors.readHeader(file).tensors().get("ids");
        assertEquals("I64", info.dtype());
        assertEquals(2, info.numel());
        assertEquals(16, info.byteCount());
    }

    // ---------------------------------------------------------------- atomic writing

    @Test
    void overwritesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("sub/deeper/model.safetensors");
        Safetensors.write(file, Map.of("x", Tensor.vector(1)));
        Safetensors.write(file, Map.of("x", Tensor.vector(2, 3)));
        assertArrayEquals(new float[] {2, 3}, Safetensors.read(file).tensors().get("x").toArray());
        assertEquals(List.of(file), listing(file.getParent()));
    }

    @Test
    void aFailedRenameLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.safetensors"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        IOException e = assertThrows(IOException.class,
                () -> Safetensors.write(target, Map.of("x", Tensor.vector(1, 2))));
        assertTrue(e.getMessage().startsWith("cannot write safetensors file " + target + ": "), e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals("keep", Files.readString(target.resolve("keep.txt")));
        assertEquals(List.of(target), listing(dir), "no temporary file left behind");
    }

    @Test
    void aRejectedWriteDoesNotClobberTheOldFile() throws IOException {
        Path file = dir.resolve("old.safetensors");
        Safetensors.write(file, Map.of("x", Tensor.vector(1)));
        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("__metadata__", Tensor.vector(2))));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("x", Tensor.vector(2)), nullValue));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing(dir));
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}

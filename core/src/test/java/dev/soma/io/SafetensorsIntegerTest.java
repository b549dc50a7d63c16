package dev.soma.io;

import static dev.soma.io.Bytes.concat;
import static dev.soma.io.Bytes.f32;
import static dev.soma.io.Bytes.f64;
import static dev.soma.io.Bytes.u64;
import static dev.soma.testing.TensorAssertions.assertLongs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.BatchNorm1d;
import dev.soma.tensor.DType;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integer, bool and float64 types of safetensors: files assembled byte by byte (the layout the
 * reference implementation and {@code safetensors.torch} write: little-endian, one byte per bool) read
 * into the tensor type of the same name, every type written back and read unchanged, and float64 kept
 * only when asked.
 */
class SafetensorsIntegerTest {

    @TempDir
    Path dir;

    private static byte[] i32(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static String entry(String name, String dtype, int count, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + count + "],\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    @Test
    void readsEachIntegerTypeIntoItsTensorType() throws IOException {
        long big = (1L << 53) + 1; // not a double, let alone a float
        byte[] data = concat(u64(big), u64(-3), i32(-2_000_000_000), new byte[] {(byte) 0xFE, (byte) 0xFF},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFF, 7}, new byte[] {1, 0, 1});
        String json = "{" + entry("i64", "I64", 2, 0, 16) + "," + entry("i32", "I32", 1, 16, 20) + ","
                + entry("i16", "I16", 1, 20, 22) + "," + entry("i8", "I8", 1, 22, 23) + ","
                + entry("u8", "U8", 2, 23, 25) + "," + entry("mask", "BOOL", 3, 25, 28) + "}";
        SafetensorsFile read = Safetensors.read(Bytes.write(dir.resolve("ints.safetensors"), json, data));
        Map<String, Tensor> t = read.tensors();
        assertLongs(t.get("i64"), DType.INT64, new int[] {2}, big, -3);
        assertLongs(t.get("i32"), DType.INT32, new int[] {1}, -2_000_000_000);
        assertLongs(t.get("i16"), DType.INT16, new int[] {1}, -2);
        assertLongs(t.get("i8"), DType.INT8, new int[] {1}, -1);
        assertLongs(t.get("u8"), DType.UINT8, new int[] {2}, 255, 7);
        assertLongs(t.get("mask"), DType.BOOL, new int[] {3}, 1, 0, 1);
        assertEquals("I16", read.dtypes().get("i16"));
    }

    @Test
    void writesEveryTypeInItsFileTypeAndReadsItBack() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f32", Tensor.vector(1.5f, -2));
        tensors.put("f64", Tensor.ofDoubles(new double[] {0.1, -1e300}, 2));
        tensors.put("i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE, (1L << 53) + 1}, 2));
        tensors.put("i32", Tensor.ofInts(new int[] {Integer.MAX_VALUE, -1}, 2));
        tensors.put("i16", Tensor.ofLongs(new long[] {-32768, 5}, 2).to(DType.INT16));
        tensors.put("i8", Tensor.ofLongs(new long[] {-128, 127}, 2).to(DType.INT8));
        tensors.put("u8", Tensor.ofLongs(new long[] {0, 255}, 2).to(DType.UINT8));
        tensors.put("mask", Tensor.ofBooleans(new boolean[] {false, true}, 2));
        tensors.put("count", Tensor.zeros(DType.INT64).onesLike());
        Path file = dir.resolve("all.safetensors");
        Safetensors.write(file, tensors);

        SafetensorsFile read = Safetensors.read(file, true);
        tensors.forEach((name, expected) -> assertTrue(expected.equal(read.tensors().get(name)),
                name + ": " + expected + " read back as " + read.tensors().get(name)));
        assertEquals(Map.of("f32", "F32", "f64", "F64", "i64", "I64", "i32", "I32", "i16", "I16", "i8", "I8",
                "u8", "U8", "mask", "BOOL", "count", "I64"), read.dtypes());
        // The bytes as the reference writes them: each tensor little-endian, packed in order.
        byte[] bytes = Files.readAllBytes(file);
        int start = bytes.length - (8 + 16 + 16 + 8 + 4 + 2 + 2 + 2 + 8);
        assertArrayEquals(concat(f32(1.5f, -2), f64(0.1, -1e300), u64(Long.MIN_VALUE), u64((1L << 53) + 1),
                i32(Integer.MAX_VALUE, -1), new byte[] {0, (byte) 0x80, 5, 0}, new byte[] {(byte) 0x80, 127},
                new byte[] {0, (byte) 0xFF}, new byte[] {0, 1}, u64(1)),
                java.util.Arrays.copyOfRange(bytes, start, bytes.length));
    }

    @Test
    void float64StaysFloat64OnlyWhenAsked() throws IOException {
        Path file = Bytes.write(dir.resolve("f64.safetensors"), "{" + entry("x", "F64", 1, 0, 8) + "}", f64(0.1));
        Tensor narrowed = Safetensors.read(file).tensors().get("x");
        assertEquals(DType.FLOAT32, narrowed.dtype(), "what existing callers get: float32");
        assertEquals(0.1f, narrowed.item());
        Tensor kept = Safetensors.read(file, true).tensors().get("x");
        assertEquals(DType.FLOAT64, kept.dtype());
        assertEquals(0.1, kept.itemDouble());
    }

    @Test
    void batchNormCountsInInt64AndLoadsAnOldFloatCount() throws IOException {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.forward(Tensor.of(new float[] {1, 2, 3, 5}, 2, 2));
        Tensor count = bn.stateDict().get("num_batches_tracked");
        assertLongs(count, DType.INT64, new int[0], 1);
        Path file = dir.resolve("bn.safetensors");
        Safetensors.write(file, bn.stateDict());
        assertEquals("I64", Safetensors.read(file).dtypes().get("num_batches_tracked"));

        // A file written before the count was int64 holds it as F32; it loads, converted.
        Map<String, Tensor> old = new LinkedHashMap<>(bn.stateDict());
        old.put("num_batches_tracked", Tensor.scalar(7));
        BatchNorm1d loaded = new BatchNorm1d(2);
        loaded.loadStateDict(old);
        assertEquals(7, loaded.numBatchesTracked());
        assertEquals(DType.INT64, loaded.stateDict().get("num_batches_tracked").dtype());
    }

    @Test
    void aModelFileWrittenWithAFloatCountStillLoads() throws IOException {
        dev.soma.nn.ModelSpec spec = ModelSpecJson.fromJson("{\"format\":\"soma-model/1\",\"input\":[2],"
                + "\"layers\":[{\"type\":\"batchnorm1d\",\"num_features\":2}]}");
        dev.soma.nn.Module model = spec.build(new dev.soma.tensor.Generator(0)).train();
        model.forward(Tensor.of(new float[] {1, 2, 3, 5}, 2, 2));
        model.forward(Tensor.of(new float[] {0, 4, -1, 2}, 2, 2));
        Path file = dir.resolve("new.safetensors");
        ModelFile.save(file, model, spec, java.util.List.of(), Map.of());
        SafetensorsFile written = Safetensors.read(file);
        assertEquals("I64", written.dtypes().get("0.num_batches_tracked"));

        Map<String, Tensor> old = new LinkedHashMap<>(written.tensors());
        old.put("0.num_batches_tracked", Tensor.scalar(2)); // as Soma wrote it before the count was int64
        Path oldFile = dir.resolve("old.safetensors");
        Safetensors.write(oldFile, old, written.metadata());
        assertEquals("F32", Safetensors.read(oldFile).dtypes().get("0.num_batches_tracked"));
        ModelFile loaded = ModelFile.load(oldFile);
        assertLongs(loaded.model().stateDict().get("0.num_batches_tracked"), DType.INT64, new int[0], 2);
        Tensor x = Tensor.of(new float[] {0.5f, -1, 2, 3}, 2, 2);
        assertArrayEquals(model.eval().forward(x).toArray(), loaded.model().forward(x).toArray());
    }
}

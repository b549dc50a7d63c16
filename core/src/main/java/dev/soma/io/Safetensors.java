package dev.soma.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.tensor.DType;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading and writing tensors in Hugging Face's safetensors format, byte for byte as the reference
 * implementation (github.com/huggingface/safetensors) does:
 *
 * <pre>
 *   8 bytes   N, the header length, a little-endian u64
 *   N bytes   UTF-8 JSON: {"__metadata__": {string: string}, (optional)
 *                          NAME: {"dtype": "F32", "shape": [d₀, …], "data_offsets": [begin, end]}, …}
 *             padded with spaces to a multiple of 8 bytes
 *   the rest  the tensors' data, little-endian and row-major, contiguous; offsets count from here
 * </pre>
 *
 * <p>Soma writes each tensor in the file type of its element type (float32 as {@code F32}, float64
 * {@code F64}, int64 {@code I64}, int32 {@code I32}, int16 {@code I16}, int8 {@code I8}, uint8
 * {@code U8}, bool {@code BOOL}: the names {@code safetensors.torch} uses), and reads those types back
 * into the same tensor types, and {@code F16} and {@code BF16} into float32. {@code F64} becomes float32
 * (rounded to nearest) unless the reader asks for float64, so callers that hold float32 parameters get
 * what they always got. Files are mapped into memory and copied in bulk.
 */
public final class Safetensors {

    /** The largest header the reference implementation accepts: 100 MB. */
    static final int MAX_HEADER_LENGTH = 100_000_000;
    /** The reserved header key of the free-form string metadata. */
    static final String METADATA_KEY = "__metadata__";

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The largest number of elements a Soma tensor (one {@code float[]}) can hold. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK_BYTES = 1 << 20;

    private Safetensors() {}

    /** Writes {@code tensors} to {@code file} without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (not modified), each in its own type, to {@code file}, in the map's order, with
     * {@code metadata} as {@code __metadata__} (left out when null or empty). Missing parent directories
     * are created. The file is written by {@link AtomicFiles#write}: readers never see half a file, and
     * when anything fails the old file is untouched and no temporary file remains.
     *
     * @throws IllegalArgumentException for a null name, value or tensor, or a tensor named
     *     {@code __metadata__}
     * @throws IOException "cannot write safetensors file FILE: REASON" when writing fails
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (name == null || tensor == null) {
                throw new IllegalArgumentException("safetensors: null tensor name or tensor (" + name + ")");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: a tensor cannot be named " + METADATA_KEY
                        + ", the key reserved for metadata");
            }
            ordered.put(name, tensor);
        });
        byte[] header = header(ordered, metadata == null ? Map.of() : metadata);
        AtomicFiles.write(file, "safetensors file " + file, channel -> {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(header.length).flip();
            AtomicFiles.writeFully(channel, buffer);
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            for (Tensor tensor : ordered.values()) {
                if (tensor.dtype() == DType.FLOAT32) {
                    float[] values = tensor.toArray();
                    for (int start = 0; start < values.length; start += CHUNK_BYTES / Float.BYTES) {
                        int count = Math.min(CHUNK_BYTES / Float.BYTES, values.length - start);
                        buffer.clear();
                        buffer.asFloatBuffer().put(values, start, count);
                        buffer.limit(count * Float.BYTES);
                        AtomicFiles.writeFully(channel, buffer);
                    }
                } else {
                    writeOther(channel, buffer, tensor);
                }
            }
        });
    }

    /** Writes a tensor that is not float32, element by element in its file type, little-endian. */
    private static void writeOther(FileChannel channel, ByteBuffer buffer, Tensor tensor) throws IOException {
        DType type = tensor.dtype();
        double[] doubles = type == DType.FLOAT64 ? tensor.toDoubleArray() : null;
        long[] longs = type == DType.FLOAT64 ? null : tensor.toLongArray();
        int n = tensor.numel();
        buffer.clear();
        for (int i = 0; i < n; i++) {
            if (buffer.remaining() < Long.BYTES) {
                buffer.flip();
                AtomicFiles.writeFully(channel, buffer);
                buffer.clear();
            }
            switch (type) {
                case FLOAT64 -> buffer.putDouble(doubles[i]);
                case INT64 -> buffer.putLong(longs[i]);
                case INT32 -> buffer.putInt((int) longs[i]);
                case INT16 -> buffer.putShort((short) longs[i]);
                default -> buffer.put((byte) longs[i]); // INT8, UINT8, BOOL
            }
        }
        buffer.flip();
        AtomicFiles.writeFully(channel, buffer);
    }

    /** The JSON header, compact as serde_json writes it, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("safetensors: null metadata key or value (" + key + ")");
                }
                meta.put(key, value);
            });
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            ObjectNode info = root.putObject(entry.getKey());
            DType type = entry.getValue().dtype();
            info.put("dtype", Dtype.of(type).name());
            ArrayNode shape = info.putArray("shape");
            Arrays.stream(entry.getValue().shape()).forEach(shape::add);
            long end = offset + (long) entry.getValue().numel() * type.bytes();
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
        int padding = (8 - json.length % 8) % 8;
        byte[] padded = Arrays.copyOf(json, json.length + padding);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /**
     * Reads every tensor of {@code file}, with the metadata and each tensor's type in the file:
     * floating-point tensors as float32 (F64 rounded), integers and bool in their own types. The header
     * is validated first (see {@link #readHeader}).
     *
     * @throws FileFormatException naming the file, and the tensor and offset where relevant, when the
     *     file is not valid safetensors or holds a type Soma does not read (U16, U32, U64, FP8, complex…)
     */
    public static SafetensorsFile read(Path file) throws IOException {
        return read(file, false);
    }

    /**
     * Reads every tensor of {@code file} as {@link #read(Path)} does, but with {@code float64} an F64
     * tensor stays float64 (for references that need its precision) instead of becoming float32.
     */
    public static SafetensorsFile read(Path file, boolean float64) throws IOException {
        try (FileChannel channel = open(file); Arena arena = Arena.ofConfined()) {
            SafetensorsHeader header = HeaderReader.read(file, channel);
            for (TensorInfo info : header.tensors().values()) {
                if (!Dtype.parse(info.dtype()).readable()) {
                    throw new FileFormatException(file, "tensor '" + info.name() + "' has dtype " + info.dtype()
                            + ", which Soma does not read: it reads F32, F64, F16, BF16, I64, I32, I16, I8, U8"
                            + " and BOOL");
                }
                if (info.numel() > MAX_ELEMENTS) {
                    throw new FileFormatException(file, "tensor '" + info.name() + "' has " + info.numel()
                            + " elements, more than a Soma tensor can hold (" + MAX_ELEMENTS + ")");
                }
            }
            MemorySegment data = header.dataLength() == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart(), header.dataLength(), arena);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            for (TensorInfo info : header.tensors().values()) {
                Dtype type = Dtype.parse(info.dtype());
                int count = (int) info.numel();
                Tensor tensor = type.tensorType() == null || type.tensorType() == DType.FLOAT32
                        || (type == Dtype.F64 && !float64)
                        ? Tensor.of(decode(type, data, info.begin(), count), info.shape())
                        : decodeOther(type, data, info.begin(), count, info.shape());
                tensors.put(info.name(), tensor);
                dtypes.put(info.name(), info.dtype());
            }
            return new SafetensorsFile(tensors, header.metadata(), dtypes);
        }
    }

    /**
     * The validated header of {@code file}: names, types, shapes, offsets and metadata, without reading
     * the tensors' data. Checks everything about the layout that {@link #read} does.
     *
     * @throws FileFormatException naming the file, and the tensor and offset where relevant
     */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            return HeaderReader.read(file, channel);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileFormatException(file, "is a directory, not a safetensors file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** {@code count} elements of {@code dtype} from {@code data} at byte {@code begin}, as float32. */
    private static float[] decode(Dtype dtype, MemorySegment data, long begin, int count) {
        float[] values = new float[count];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32, begin, values, 0, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = (float) data.get(F64, begin + (long) i * Double.BYTES); // rounds to nearest
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Float.float16ToFloat(data.get(HALF, begin + (long) i * Short.BYTES));
                }
            }
            case BF16 -> {
                // bfloat16 is the high half of a float32: the same sign, exponent and top 7 mantissa bits.
                for (int i = 0; i < count; i++) {
                    values[i] = Float.intBitsToFloat((data.get(HALF, begin + (long) i * Short.BYTES) & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalArgumentException("safetensors: cannot decode " + dtype);
        }
        return values;
    }

    /** {@code count} elements of an F64 or integer {@code dtype} at byte {@code begin}, in their own tensor type. */
    private static Tensor decodeOther(Dtype dtype, MemorySegment data, long begin, int count, int[] shape) {
        if (dtype == Dtype.F64) {
            double[] values = new double[count];
            MemorySegment.copy(data, F64, begin, values, 0, count);
            return Tensor.ofDoubles(values, shape);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (dtype) {
                case I64 -> data.get(I64, begin + (long) i * Long.BYTES);
                case I32 -> data.get(I32, begin + (long) i * Integer.BYTES);
                case I16 -> data.get(HALF, begin + (long) i * Short.BYTES);
                case I8 -> data.get(ValueLayout.JAVA_BYTE, begin + i);
                case U8 -> Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, begin + i));
                default -> data.get(ValueLayout.JAVA_BYTE, begin + i) != 0 ? 1 : 0; // BOOL
            };
        }
        Tensor wide = Tensor.ofLongs(values, shape);
        return wide.to(dtype.tensorType());
    }
}

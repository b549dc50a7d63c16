package dev.soma.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a safetensors header, as the reference implementation does and a little
 * stricter: every error names the file, and the tensor and byte offset where there is one.
 *
 * <p>Checked: the 8-byte length prefix and its 100 MB limit; UTF-8 and JSON (no duplicate keys, one
 * top-level object, only spaces after it); each entry's {@code dtype}, {@code shape} (non-negative
 * integers) and {@code data_offsets}; that dtype × shape gives the byte count; and that the tensors'
 * data tile the data section exactly: no overlap, no gap, nothing after the last tensor. Other fields
 * of an entry are ignored, as the reference implementation ignores them.
 */
final class HeaderReader {

    private HeaderReader() {}

    /**
     * What a file whose first 8 bytes are not a plausible header length is instead, from the
     * signature its format starts with, or null when it is none Soma knows: the files a user most
     * often gives by mistake (a picture, a model spec, a PyTorch {@code .pt} zip, a data file).
     */
    static String otherKind(ByteBuffer prefix) {
        byte[] b = new byte[8];
        prefix.get(0, b);
        String text = new String(b, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u0089PNG")) {
            return "a PNG image";
        }
        if ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "a JPEG image";
        }
        if (text.startsWith("GIF8")) {
            return "a GIF image";
        }
        if (text.startsWith("BM")) {
            return "a BMP image";
        }
        if ((b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return "a gzip file";
        }
        if (text.startsWith("PK\u0003\u0004")) {
            return "a zip archive (a PyTorch .pt file is one: save a state dict with safetensors.torch.save_file)";
        }
        if (b[0] == 0 && b[1] == 0 && (b[2] >= 0x08 && b[2] <= 0x0E) && b[3] >= 1 && b[3] <= 4) {
            return "an IDX data file";
        }
        if (text.strip().startsWith("{") || text.strip().startsWith("[")) {
            return "JSON text (a model spec is trained with soma train --model FILE.json)";
        }
        return null;
    }

    /** The validated header of {@code file}, open as {@code channel}. Reads only the header. */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new FileFormatException(file, "not a safetensors file: it has " + size
                    + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer prefix = readFully(file, channel, 0, 8);
        long n = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        boolean overLimit = n < 0 || n > Safetensors.MAX_HEADER_LENGTH;
        boolean pastEnd = !overLimit && 8 + n > size;
        String kind = overLimit || pastEnd ? otherKind(prefix) : null;
        if (kind != null) {
            throw new FileFormatException(file, "not a safetensors file: it is " + kind);
        }
        if (overLimit) {
            throw new FileFormatException(file, "header length " + Long.toUnsignedString(n)
                    + " is over the safetensors limit of " + Safetensors.MAX_HEADER_LENGTH + " bytes (100 MB)");
        }
        if (pastEnd) {
            throw new FileFormatException(file, "header length " + n + " runs past the end of the file ("
                    + size + " bytes): the file is truncated or not a safetensors file");
        }
        String text = utf8(file, readFully(file, channel, 8, (int) n));
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, "the header is " + e.getMessage(), e);
        }
        if (!root.isObject()) {
            throw new FileFormatException(file, "the header is " + Json.kind(root) + ", expected a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(Safetensors.METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                tensors.put(field.getKey(), tensor(file, field.getKey(), field.getValue()));
            }
        }
        checkLayout(file, 8 + n, size - 8 - n, tensors.values());
        return new SafetensorsHeader(n, tensors, metadata);
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new FileFormatException(file, "the file ended while reading bytes " + position
                        + " to " + (position + length));
            }
        }
        return buffer.flip();
    }

    private static String utf8(Path file, ByteBuffer bytes) throws FileFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "the header is not valid UTF-8", e);
        }
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws FileFormatException {
        if (node.isNull()) {
            return; // the reference implementation reads null as "no metadata"
        }
        if (!node.isObject()) {
            throw new FileFormatException(file, Safetensors.METADATA_KEY + " is " + Json.kind(node)
                    + ", expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new FileFormatException(file, Safetensors.METADATA_KEY + " value of '" + entry.getKey()
                        + "' is " + Json.kind(entry.getValue()) + ", expected a string");
            }
            out.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo tensor(Path file, String name, JsonNode node) throws FileFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new FileFormatException(file, where + " is " + Json.kind(node)
                    + ", expected an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = required(file, where, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new FileFormatException(file, where + ": dtype is " + Json.kind(dtypeNode)
                    + ", expected a string such as \"F32\"");
        }
        Dtype dtype = Dtype.parse(dtypeNode.textValue());
        if (dtype == null) {
            throw new FileFormatException(file, where + ": unknown dtype '" + dtypeNode.textValue() + "'");
        }
        long[] shape = integers(file, where, node, "shape", -1, Integer.MAX_VALUE);
        long[] offsets = integers(file, where, node, "data_offsets", 2, Long.MAX_VALUE);
        int[] dims = new int[shape.length];
        long bits = dtype.bits();
        for (int d = 0; d < shape.length; d++) {
            dims[d] = (int) shape[d];
        }
        try {
            for (long size : shape) {
                bits = Math.multiplyExact(bits, size);
            }
        } catch (ArithmeticException e) {
            throw new FileFormatException(file, where + ": shape " + Shape.format(dims) + " has too many elements");
        }
        if (bits % 8 != 0) {
            throw new FileFormatException(file, where + ": " + (bits / dtype.bits()) + " elements of " + dtype
                    + " do not fill a whole number of bytes");
        }
        if (offsets[1] < offsets[0]) {
            throw new FileFormatException(file, where + ": data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] end before they begin");
        }
        if (offsets[1] - offsets[0] != bits / 8) {
            throw new FileFormatException(file, where + ": " + dtype + " of shape " + Shape.format(dims) + " takes "
                    + (bits / 8) + " bytes, but its data_offsets [" + offsets[0] + ", " + offsets[1] + "] span "
                    + (offsets[1] - offsets[0]));
        }
        return new TensorInfo(name, dtype.name(), dims, offsets[0], offsets[1]);
    }

    private static JsonNode required(Path file, String where, JsonNode node, String field) throws FileFormatException {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new FileFormatException(file, where + ": missing field '" + field + "'");
        }
        return value;
    }

    /** An array of integers in {@code [0, max]}, of length {@code length} (any length if negative). */
    private static long[] integers(Path file, String where, JsonNode node, String field, int length, long max)
            throws FileFormatException {
        JsonNode array = required(file, where, node, field);
        if (!array.isArray()) {
            throw new FileFormatException(file, where + ": " + field + " is " + Json.kind(array) + ", expected an array");
        }
        if (length >= 0 && array.size() != length) {
            throw new FileFormatException(file, where + ": " + field + " has " + array.size() + " values, expected "
                    + length + " [begin, end]");
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new FileFormatException(file, where + ": " + field + "[" + i + "] is " + Json.kind(value)
                        + ", expected a non-negative integer");
            }
            if (value.longValue() > max) {
                throw new FileFormatException(file, where + ": " + field + "[" + i + "] is " + value.longValue()
                        + ", larger than " + max + ", the largest Soma supports");
            }
            values[i] = value.longValue();
        }
        return values;
    }

    /** The tensors' data, in offset order, must cover {@code [0, dataLength)} exactly once. */
    private static void checkLayout(Path file, long dataStart, long dataLength, Iterable<TensorInfo> tensors)
            throws FileFormatException {
        List<TensorInfo> byOffset = new ArrayList<>();
        for (TensorInfo t : tensors) {
            if (t.end() > dataLength) {
                throw new FileFormatException(file, "tensor '" + t.name() + "': data_offsets [" + t.begin() + ", "
                        + t.end() + "] run past the end of the file: the data section has " + dataLength
                        + " bytes, from file offset " + dataStart);
            }
            byOffset.add(t);
        }
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < covered) {
                throw new FileFormatException(file, "tensor '" + t.name() + "' (data_offsets [" + t.begin() + ", "
                        + t.end() + "]) overlaps tensor '" + previous.name() + "' (data_offsets [" + previous.begin()
                        + ", " + previous.end() + "]), at file offset " + (dataStart + t.begin()));
            }
            if (t.begin() > covered) {
                throw new FileFormatException(file, "data bytes [" + covered + ", " + t.begin()
                        + ") belong to no tensor (a gap " + (previous == null ? "before the first tensor '"
                        : "between '" + previous.name() + "' and '") + t.name() + "'), at file offset "
                        + (dataStart + covered));
            }
            covered = t.end();
            previous = t;
        }
        if (covered < dataLength) {
            throw new FileFormatException(file, (dataLength - covered) + " trailing bytes after the last tensor"
                    + ", at file offset " + (dataStart + covered));
        }
    }
}

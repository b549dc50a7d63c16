package dev.soma.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated header of a safetensors file: what {@link Safetensors#readHeader} returns without
 * loading any tensor data (for {@code soma info}).
 *
 * @param headerLength N, the length in bytes of the JSON header (padding included)
 * @param tensors each tensor's entry, by name, in the header's order
 * @param metadata the {@code __metadata__} strings, in the header's order (empty if absent)
 */
public record SafetensorsHeader(long headerLength, Map<String, TensorInfo> tensors, Map<String, String> metadata) {

    public SafetensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The position in the file of the first data byte: {@code 8 + N}. */
    public long dataStart() {
        return 8 + headerLength;
    }

    /** The length of the data section, the sum of the tensors' byte counts. */
    public long dataLength() {
        long total = 0;
        for (TensorInfo t : tensors.values()) {
            total += t.byteCount();
        }
        return total;
    }
}

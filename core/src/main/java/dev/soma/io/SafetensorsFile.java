package dev.soma.io;

import dev.soma.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file, as {@link Safetensors#read} returns them.
 *
 * @param tensors each tensor, as float32, by name in the header's order
 * @param metadata the {@code __metadata__} strings (empty if the file has none)
 * @param dtypes each tensor's element type in the file ({@code "F32"}, {@code "BF16"}, …), by name
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes) {

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
    }
}

package dev.soma.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire format, byte by byte, against the examples of the protocol-buffer encoding guide and
 * against a small independent decoder written here; onnx's own parser reads whole files in
 * {@code OnnxRuntimeTest}.
 */
class ProtobufTest {

    @Test
    void varintsAreSevenBitsAByteLowFirst() {
        // The guide's examples: 150 in field 1 is 08 96 01; 1 is 08 01.
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new Protobuf().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0x01), new Protobuf().varint(1, 1).toByteArray());
        assertArrayEquals(bytes(0x08, 0x00), new Protobuf().varint(1, 0).toByteArray());
        assertArrayEquals(bytes(0x08, 0x7F), new Protobuf().varint(1, 127).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x01), new Protobuf().varint(1, 128).toByteArray());
        // int64 −1: two's complement, ten bytes.
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new Protobuf().varint(1, -1).toByteArray());
        // Field 20 (AttributeProto.type): key (20 << 3) | 0 = 160 takes two bytes.
        assertArrayEquals(bytes(0xA0, 0x01, 0x02), new Protobuf().varint(20, 2).toByteArray());
    }

    @Test
    void stringsAndNestedMessagesAreLengthDelimited() {
        // The guide's example: "testing" in field 2 is 12 07 74 65 73 74 69 6e 67.
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
                new Protobuf().string(2, "testing").toByteArray());
        // Its nested example: field 3 holding {1: 150} is 1a 03 08 96 01.
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
                new Protobuf().message(3, new Protobuf().varint(1, 150)).toByteArray());
        // A length over 127 takes a two-byte varint.
        byte[] long300 = new Protobuf().bytes(9, new byte[300]).toByteArray();
        assertArrayEquals(bytes(0x4A, 0xAC, 0x02), java.util.Arrays.copyOf(long300, 3));
        assertEquals(303, long300.length);
        // UTF-8, counted in bytes: "µ" is two.
        assertArrayEquals(bytes(0x0A, 0x02, 0xC2, 0xB5), new Protobuf().string(1, "µ").toByteArray());
    }

    @Test
    void floatsAreFourBytesLittleEndian() {
        // 1.0f = 0x3F800000; key (2 << 3) | 5 = 0x15.
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new Protobuf().float32(2, 1f).toByteArray());
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0xC0, 0x7F), new Protobuf().float32(2, Float.NaN).toByteArray());
    }

    @Test
    void aNodeDecodesToItsFields() {
        OnnxGraph graph = new OnnxGraph();
        graph.scope("layer0");
        graph.input("x", new int[] {3}, OnnxGraph.FLOAT);
        String y = graph.node("LeakyRelu", List.of("x"), OnnxGraph.attribute("alpha", 0.25f),
                OnnxGraph.attribute("pads", new long[] {0, -1, 300}));
        graph.output("y", new int[] {3});
        graph.finish(y, "y");
        Reader model = new Reader(graph.model("g", 8, 17, "soma", "1", java.util.Map.of()));
        assertEquals(8, model.varint(1));
        assertEquals("soma", model.string(2));
        Reader opset = model.message(8);
        assertEquals("", opset.string(1));
        assertEquals(17, opset.varint(2));
        Reader g = model.message(7);
        assertEquals("g", g.string(2));
        Reader node = g.messages(1).get(0);
        assertEquals("x", node.string(1));
        assertEquals("layer0.leakyrelu", node.string(2));
        assertEquals("LeakyRelu", node.string(4));
        List<Reader> attributes = node.messages(5);
        assertEquals("alpha", attributes.get(0).string(1));
        assertEquals(0.25f, Float.intBitsToFloat((int) attributes.get(0).fixed32(2)));
        assertEquals(1, attributes.get(0).varint(20)); // FLOAT
        assertEquals("pads", attributes.get(1).string(1));
        assertEquals(List.of(0L, -1L, 300L), attributes.get(1).varints(8));
        assertEquals(7, attributes.get(1).varint(20)); // INTS
        Reader finish = g.messages(1).get(1);
        assertEquals("Identity", finish.string(4));
        // The input: ValueInfoProto {name, type {tensor_type {elem_type FLOAT, shape {dim N, dim 3}}}}.
        Reader input = g.message(11);
        assertEquals("x", input.string(1));
        Reader tensor = input.message(2).message(1);
        assertEquals(1, tensor.varint(1));
        List<Reader> dims = tensor.message(2).messages(1);
        assertEquals("N", dims.get(0).string(2));
        assertEquals(3, dims.get(1).varint(1));
    }

    @Test
    void aWeightIsARawLittleEndianTensor() {
        OnnxGraph graph = new OnnxGraph();
        graph.weight("0.weight", new float[] {1, -2, 0.5f}, 3, 1);
        graph.weight("0.weight", new float[] {9}, 1); // the same name again is the same tensor
        graph.input("x", new int[] {1}, OnnxGraph.FLOAT);
        graph.output("x", new int[] {1});
        Reader g = new Reader(graph.model("g", 8, 17, "soma", "1", java.util.Map.of())).message(7);
        List<Reader> initializers = g.messages(5);
        assertEquals(1, initializers.size());
        Reader t = initializers.get(0);
        assertEquals(List.of(3L, 1L), t.varints(1));
        assertEquals(1, t.varint(2));
        assertEquals("0.weight", t.string(8));
        assertArrayEquals(bytes(0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0x3F), t.bytes(9));
        assertEquals(3, graph.weights());
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A decoder of the wire format for these tests: the fields of one message, by number. */
    private static final class Reader {
        private record Field(int number, int type, long value, byte[] bytes) {
        }

        private final List<Field> fields = new ArrayList<>();

        Reader(byte[] data) {
            int[] at = {0};
            while (at[0] < data.length) {
                long key = readVarint(data, at);
                int number = (int) (key >>> 3);
                int type = (int) (key & 7);
                switch (type) {
                    case 0 -> fields.add(new Field(number, type, readVarint(data, at), null));
                    case 2 -> {
                        int length = (int) readVarint(data, at);
                        fields.add(new Field(number, type, 0, java.util.Arrays.copyOfRange(data, at[0], at[0] + length)));
                        at[0] += length;
                    }
                    case 5 -> {
                        long bits = 0;
                        for (int i = 0; i < 4; i++) {
                            bits |= (long) (data[at[0] + i] & 0xFF) << (8 * i);
                        }
                        at[0] += 4;
                        fields.add(new Field(number, type, bits, null));
                    }
                    default -> throw new AssertionError("wire type " + type + " at byte " + at[0]);
                }
            }
        }

        private static long readVarint(byte[] data, int[] at) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = data[at[0]++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }

        private List<Field> all(int number, int type) {
            List<Field> found = fields.stream().filter(f -> f.number() == number).toList();
            found.forEach(f -> assertEquals(type, f.type(), "wire type of field " + number));
            return found;
        }

        private Field one(int number, int type) {
            List<Field> found = all(number, type);
            assertEquals(1, found.size(), "occurrences of field " + number);
            return found.get(0);
        }

        long varint(int number) {
            return one(number, 0).value();
        }

        List<Long> varints(int number) {
            return all(number, 0).stream().map(Field::value).toList();
        }

        long fixed32(int number) {
            return one(number, 5).value();
        }

        byte[] bytes(int number) {
            return one(number, 2).bytes();
        }

        String string(int number) {
            return new String(bytes(number), StandardCharsets.UTF_8);
        }

        Reader message(int number) {
            return new Reader(bytes(number));
        }

        List<Reader> messages(int number) {
            return all(number, 2).stream().map(f -> new Reader(f.bytes())).toList();
        }
    }
}

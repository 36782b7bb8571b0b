package dev.lucid.nn.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archives written by PyTorch 1.13 (make_fixtures.py beside them) read back name for name, value for value. */
class TorchArchiveTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchArchiveTest.class.getResource(name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scripted.pt", "state_dict.pt"})
    void readsEveryTensorOfTheArchive(String file) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(resource("expected.json").toFile()).get(file);
        Path path = resource(file);
        assertTrue(TorchArchive.isArchive(path));
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = TorchArchive.read(path, m);
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray a : list) byName.put(a.getName(), a);
            assertEquals(expected.size(), byName.size(), "tensor count, got " + byName.keySet());
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                NDArray a = byName.get(name);
                assertTrue(a != null, "missing " + name + " in " + byName.keySet());
                JsonNode e = expected.get(name);
                long[] shape = new long[e.get("shape").size()];
                for (int i = 0; i < shape.length; i++) shape[i] = e.get("shape").get(i).asLong();
                assertArrayEquals(shape, a.getShape().getShape(), name + " shape");
                float[] values = new float[e.get("values").size()];
                for (int i = 0; i < values.length; i++) values[i] = (float) e.get("values").get(i).asDouble();
                assertArrayEquals(values, a.toFloatArray(), 0f, name + " values");
            }
        }
    }

    @Test
    void halfPrecisionConversion() {
        assertEquals(1.0f, TorchArchive.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, TorchArchive.halfToFloat((short) 0xC000));
        assertEquals(65504f, TorchArchive.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, TorchArchive.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, TorchArchive.halfToFloat((short) 0x7C00));
    }

    @Test
    void notAnArchive(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("x.pt"), "hello");
        assertFalse(TorchArchive.isArchive(text));
        Path zip = dir.resolve("y.pt");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write(1);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> TorchArchive.read(zip, m));
            assertTrue(e.getMessage().contains("not a PyTorch archive"), e.getMessage());
        }
    }
}

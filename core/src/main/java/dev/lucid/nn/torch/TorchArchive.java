package dev.lucid.nn.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the named tensors of a PyTorch zip archive: a {@code torch.save}d state_dict, or a TorchScript
 * module such as OpenAI's CLIP {@code .pt} files, whose parameters <em>and buffers</em> (BatchNorm running
 * statistics, which DJL's TorchScript loader does not expose) are read straight from the archive's
 * {@code data.pkl} and storage entries. Module attributes become dotted state_dict names
 * ("visual.bn1.running_mean"). Half, bfloat16, integer and boolean storages are converted to float32.
 */
public final class TorchArchive {

    /** A storage entry of the archive. */
    private record Storage(String key, String type) {}

    /** A tensor view of a storage, as torch._utils._rebuild_tensor_v2 describes it. */
    private record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    private TorchArchive() {}

    /** True when the file is a zip archive (a PyTorch ≥ 1.6 save or a TorchScript file). */
    public static boolean isArchive(Path file) throws IOException {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    /** Every tensor of the archive with its dotted name, in file order. */
    public static NDList read(Path file, NDManager manager) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            for (var e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                    prefix = name.substring(0, name.length() - "data.pkl".length());
                }
            }
            if (prefix == null) throw new IOException(file + " is a zip file but not a PyTorch archive (no data.pkl)");
            byte[] pickle = zip.getInputStream(zip.getEntry(prefix + "data.pkl")).readAllBytes();
            Object root = new Unpickler(pickle, TorchArchive::reduce, TorchArchive::persistent).load();
            Map<String, TensorRef> tensors = new LinkedHashMap<>();
            collect(root, "", tensors);
            NDList out = new NDList();
            for (Map.Entry<String, TensorRef> t : tensors.entrySet()) {
                NDArray a = materialise(zip, prefix, t.getValue(), manager);
                a.setName(t.getKey());
                out.add(a);
            }
            return out;
        }
    }

    private static Object persistent(Object pid) throws IOException {
        List<?> t = (List<?>) pid;
        if (t.size() < 5 || !"storage".equals(t.get(0))) throw new IOException("unknown persistent id " + pid);
        return new Storage(String.valueOf(t.get(2)), ((Unpickler.Global) t.get(1)).name());
    }

    private static Object reduce(Unpickler.Global callable, List<Object> args) throws IOException {
        switch (callable.qualified()) {
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return new TensorRef((Storage) args.get(0), ((Number) args.get(1)).longValue(), longs(args.get(2)), longs(args.get(3)));
            case "torch._utils._rebuild_parameter":
                return args.get(0);
            case "collections.OrderedDict":
                return new LinkedHashMap<>();
            default:
                return new Unpickler.PyObject(callable, args);
        }
    }

    private static long[] longs(Object tuple) {
        List<?> l = (List<?>) tuple;
        long[] v = new long[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).longValue();
        return v;
    }

    /** Walks dicts (state_dicts) and module objects (TorchScript), naming tensors by their attribute path. */
    private static void collect(Object node, String path, Map<String, TensorRef> out) {
        if (node instanceof TensorRef) {
            out.put(path, (TensorRef) node);
        } else if (node instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
                collect(e.getValue(), path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey(), out);
            }
        } else if (node instanceof Unpickler.PyObject) {
            collect(((Unpickler.PyObject) node).state, path, out);
        }
    }

    private static NDArray materialise(ZipFile zip, String prefix, TensorRef t, NDManager manager) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "data/" + t.storage().key());
        if (entry == null) throw new IOException("archive lacks storage data/" + t.storage().key());
        ByteBuffer raw = ByteBuffer.wrap(zip.getInputStream(entry).readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        String type = t.storage().type();
        int n = 1;
        for (long s : t.size()) n *= (int) s;
        float[] values = new float[n];
        int[] index = new int[t.size().length];
        for (int i = 0; i < n; i++) {
            long element = t.offset();
            for (int d = 0; d < index.length; d++) element += index[d] * t.stride()[d];
            values[i] = element(raw, type, (int) element);
            for (int d = index.length - 1; d >= 0; d--) {           // row-major increment
                if (++index[d] < t.size()[d]) break;
                index[d] = 0;
            }
        }
        return manager.create(values, new Shape(t.size()));
    }

    private static float element(ByteBuffer b, String type, int i) throws IOException {
        switch (type) {
            case "FloatStorage": return b.getFloat(4 * i);
            case "DoubleStorage": return (float) b.getDouble(8 * i);
            case "HalfStorage": return halfToFloat(b.getShort(2 * i));
            case "BFloat16Storage": return Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
            case "LongStorage": return b.getLong(8 * i);
            case "IntStorage": return b.getInt(4 * i);
            case "ShortStorage": return b.getShort(2 * i);
            case "CharStorage": return b.get(i);
            case "ByteStorage":
            case "BoolStorage": return b.get(i) & 0xff;
            default: throw new IOException("unsupported storage type " + type.toLowerCase(Locale.ROOT));
        }
    }

    /** IEEE 754 half → float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff, sign = (bits >>> 15) << 31, exp = (bits >>> 10) & 0x1f, mant = bits & 0x3ff;
        if (exp == 0) return Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mant * 0x1p-24f;   // zero and subnormals
        if (exp == 31) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));              // inf, NaN
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

}

package dev.lucid.nn.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal Python unpickler for the pickles inside PyTorch archives ({@code torch.save} zips and
 * TorchScript {@code .pt} files): protocols 2–4, with classes kept as inert {@link Global}/{@link PyObject}
 * values, persistent ids handed to a callback (PyTorch's storages), and {@code REDUCE} calls handed to a
 * callback (so {@code _rebuild_tensor_v2} or {@code OrderedDict} can be interpreted). Nothing is executed.
 */
final class Unpickler {

    /** A class or function reference: GLOBAL module.name. */
    record Global(String module, String name) {
        String qualified() { return module + "." + name; }
    }

    /** An object built by NEWOBJ/REDUCE of a class, with the state BUILD gave it. */
    static final class PyObject {
        final Global type;
        final List<Object> args;
        Object state;

        PyObject(Global type, List<Object> args) {
            this.type = type;
            this.args = args;
        }
    }

    /** Interprets REDUCE(callable, args); returns the value to push. */
    interface Reducer {
        Object reduce(Global callable, List<Object> args) throws IOException;
    }

    /** Interprets a persistent id (BINPERSID). */
    interface PersistentLoader {
        Object load(Object pid) throws IOException;
    }

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final Reducer reducer;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    Unpickler(byte[] data, Reducer reducer, PersistentLoader persistent) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.reducer = reducer;
        this.persistent = persistent;
    }

    Object load() throws IOException {
        while (in.hasRemaining()) {
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80: in.get(); break;                                      // PROTO
                case 0x95: in.getLong(); break;                                  // FRAME
                case '.': return pop();                                          // STOP
                case '(': stack.add(MARK); break;                                // MARK
                case ')': push(new ArrayList<>()); break;                        // EMPTY_TUPLE (tuples are lists)
                case ']': push(new ArrayList<>()); break;                        // EMPTY_LIST
                case '}': push(new LinkedHashMap<>()); break;                    // EMPTY_DICT
                case 0x8f: push(new ArrayList<>()); break;                       // EMPTY_SET
                case 'N': push(null); break;                                     // NONE
                case 0x88: push(Boolean.TRUE); break;                            // NEWTRUE
                case 0x89: push(Boolean.FALSE); break;                           // NEWFALSE
                case 'J': push((long) in.getInt()); break;                       // BININT
                case 'K': push((long) (in.get() & 0xff)); break;                 // BININT1
                case 'M': push((long) (in.getShort() & 0xffff)); break;          // BININT2
                case 0x8a: push(readLong(in.get() & 0xff)); break;               // LONG1
                case 'G': push(in.order(ByteOrder.BIG_ENDIAN).getDouble()); in.order(ByteOrder.LITTLE_ENDIAN); break; // BINFLOAT
                case 'X': push(string(in.getInt())); break;                      // BINUNICODE
                case 0x8c: push(string(in.get() & 0xff)); break;                 // SHORT_BINUNICODE
                case 'T': push(string(in.getInt())); break;                      // BINSTRING
                case 'U': push(string(in.get() & 0xff)); break;                  // SHORT_BINSTRING
                case 'B': push(bytes(in.getInt())); break;                       // BINBYTES
                case 'C': push(bytes(in.get() & 0xff)); break;                   // SHORT_BINBYTES
                case 'c': push(new Global(line(), line())); break;               // GLOBAL
                case 0x93: {                                                     // STACK_GLOBAL
                    String name = (String) pop(), module = (String) pop();
                    push(new Global(module, name));
                    break;
                }
                case 'q': memo.put(in.get() & 0xff, top()); break;               // BINPUT
                case 'r': memo.put(in.getInt(), top()); break;                   // LONG_BINPUT
                case 0x94: memo.put(memo.size(), top()); break;                  // MEMOIZE
                case 'h': push(memo.get(in.get() & 0xff)); break;                // BINGET
                case 'j': push(memo.get(in.getInt())); break;                    // LONG_BINGET
                case 't': push(popMark()); break;                                // TUPLE
                case 0x85: push(listOf(pop())); break;                           // TUPLE1
                case 0x86: { Object b = pop(), a = pop(); push(listOf(a, b)); break; }          // TUPLE2
                case 0x87: { Object c = pop(), b = pop(), a = pop(); push(listOf(a, b, c)); break; } // TUPLE3
                case 'l': push(popMark()); break;                                // LIST
                case 'a': { Object v = pop(); asList(top()).add(v); break; }     // APPEND
                case 'e': { List<Object> items = popMark(); asList(top()).addAll(items); break; } // APPENDS
                case 0x90: { List<Object> items = popMark(); asList(top()).addAll(items); break; } // ADDITEMS
                case 's': { Object v = pop(), k = pop(); asMap(top()).put(k, v); break; }       // SETITEM
                case 'u': {                                                      // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> m = asMap(top());
                    for (int i = 0; i + 1 < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
                    break;
                }
                case 'R': {                                                      // REDUCE
                    List<Object> args = asList(pop());
                    Global callable = (Global) pop();
                    push(reducer.reduce(callable, args));
                    break;
                }
                case 0x81: {                                                     // NEWOBJ
                    List<Object> args = asList(pop());
                    push(new PyObject((Global) pop(), args));
                    break;
                }
                case 'b': {                                                      // BUILD
                    Object state = pop();
                    Object target = top();
                    if (target instanceof PyObject) ((PyObject) target).state = state;
                    // BUILD on a dict (e.g. an OrderedDict's _metadata) carries nothing we need
                    break;
                }
                case 'Q': push(persistent.load(pop())); break;                   // BINPERSID
                default:
                    throw new IOException(String.format("unsupported pickle opcode 0x%02x at byte %d", op, in.position() - 1));
            }
        }
        throw new IOException("pickle ended without STOP");
    }

    private static List<Object> listOf(Object... items) {
        List<Object> l = new ArrayList<>();
        for (Object o : items) l.add(o);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) throws IOException {
        if (!(o instanceof List)) throw new IOException("pickle: expected a tuple or list, got " + o);
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) throws IOException {
        if (!(o instanceof Map)) throw new IOException("pickle: expected a dict, got " + o);
        return (Map<Object, Object>) o;
    }

    private List<Object> popMark() throws IOException {
        List<Object> items = new ArrayList<>();
        while (true) {
            if (stack.isEmpty()) throw new IOException("pickle: MARK not found");
            Object o = stack.remove(stack.size() - 1);
            if (o == MARK) break;
            items.add(0, o);
        }
        return items;
    }

    private void push(Object o) { stack.add(o); }

    private Object pop() throws IOException {
        if (stack.isEmpty()) throw new IOException("pickle: stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object top() throws IOException {
        if (stack.isEmpty()) throw new IOException("pickle: stack underflow");
        return stack.get(stack.size() - 1);
    }

    private long readLong(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v -= 1L << (8 * n);
        return v;
    }

    private String string(int n) {
        byte[] b = bytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        byte c;
        while ((c = in.get()) != '\n') sb.append((char) c);
        return sb.toString();
    }
}

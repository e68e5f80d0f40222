package io.github.oauth2mail.it.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;
import org.netbeans.lib.profiler.heap.ObjectFieldValue;

/**
 * Why an object is still alive: from a heap dump (HPROF), the chain of references from the nearest GC root to each
 * instance of a class, as {@code Root(kind) Thread#12 -> field -> Type -> ... -> the instance}. A leak test that fails
 * prints this, so the failure says what holds the object instead of only that something does.
 */
final class HeapPaths {

    private static final int MAX_DEPTH = 80;

    private HeapPaths() {
    }

    /** One line per live instance of {@code className} (every class of that name, whatever its loader). */
    static List<String> toRoots(Path hprof, String className) throws IOException {
        Heap heap = HeapFactory.createHeap(hprof.toFile());
        List<String> paths = new ArrayList<>();
        for (Object c : heap.getJavaClassesByRegExp(Pattern.quote(className))) {
            JavaClass type = (JavaClass) c;
            for (Object o : type.getInstances()) {
                paths.add(pathOf(heap, (Instance) o));
            }
        }
        return paths;
    }

    private static String pathOf(Heap heap, Instance target) {
        List<String> steps = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Instance current = target;
        String end = "no path to a GC root";
        for (int depth = 0; current != null && depth < MAX_DEPTH && seen.add(current.getInstanceId()); depth++) {
            if (current.isGCRoot()) {
                GCRoot root = heap.getGCRoot(current);
                end = "GC root (" + (root == null ? "?" : root.getKind()) + ") " + describe(heap, current);
                break;
            }
            Instance holder = current.getNearestGCRootPointer();
            if (holder == null) {
                break;
            }
            steps.add(0, describe(heap, holder) + via(heap, holder, current));
            current = holder;
        }
        StringBuilder s = new StringBuilder(end);
        for (String step : steps) {
            s.append("\n    -> ").append(step);
        }
        return s.append("\n    -> ").append(describe(heap, target)).toString();
    }

    private static String describe(Heap heap, Instance i) {
        String name = i.getJavaClass().getName();
        if (name.equals("java.lang.Class")) {
            JavaClass c = heap.getJavaClassByID(i.getInstanceId());
            return "class " + (c == null ? "?" : c.getName());
        }
        if (name.equals("java.lang.Thread") || i.getValueOfField("name") != null && isThread(i.getJavaClass())) {
            return name + " \"" + text(i.getValueOfField("name")) + "\"";
        }
        return name + "#" + i.getInstanceNumber();
    }

    private static boolean isThread(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getSuperClass()) {
            if (k.getName().equals("java.lang.Thread")) {
                return true;
            }
        }
        return false;
    }

    /** A java.lang.String instance's text (Latin-1 or UTF-16 coder), or "?" */
    private static String text(Object value) {
        if (!(value instanceof Instance) || !((Instance) value).getJavaClass().getName().equals("java.lang.String")) {
            return String.valueOf(value);
        }
        Object bytes = ((Instance) value).getValueOfField("value");
        if (!(bytes instanceof org.netbeans.lib.profiler.heap.PrimitiveArrayInstance)) {
            return "?";
        }
        List<?> items = ((org.netbeans.lib.profiler.heap.PrimitiveArrayInstance) bytes).getValues();
        byte[] b = new byte[items.size()];
        for (int k = 0; k < b.length; k++) {
            b[k] = Byte.parseByte(String.valueOf(items.get(k)));
        }
        Object coder = ((Instance) value).getValueOfField("coder");
        return "1".equals(String.valueOf(coder)) ? new String(b, java.nio.charset.StandardCharsets.UTF_16LE)
                : new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The field (or array slot) of {@code holder} that refers to {@code held}. */
    private static String via(Heap heap, Instance holder, Instance held) {
        if (holder instanceof ObjectArrayInstance) {
            List<?> values = ((ObjectArrayInstance) holder).getValues();
            for (int k = 0; k < values.size(); k++) {
                if (values.get(k) instanceof Instance && ((Instance) values.get(k)).getInstanceId() == held
                        .getInstanceId()) {
                    return "[" + k + "]";
                }
            }
            return "[?]";
        }
        List<Object> fields = new ArrayList<>(holder.getFieldValues());
        if (holder.getJavaClass().getName().equals("java.lang.Class")) {
            JavaClass c = heap.getJavaClassByID(holder.getInstanceId());
            if (c != null) {
                fields.addAll(c.getStaticFieldValues());
            }
        }
        for (Object f : fields) {
            if (f instanceof ObjectFieldValue && ((ObjectFieldValue) f).getInstance() != null
                    && ((ObjectFieldValue) f).getInstance().getInstanceId() == held.getInstanceId()) {
                return "." + ((ObjectFieldValue) f).getField().getName();
            }
        }
        return held.getJavaClass().getName().equals("java.lang.Class") ? " (its class, or a class it loaded)" : " (?)";
    }
}

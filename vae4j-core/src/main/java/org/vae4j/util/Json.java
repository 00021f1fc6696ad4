package org.vae4j.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Set;
import java.util.TreeSet;

/** JSON for config records: pretty output, and strict input that names missing and unknown fields. */
public final class Json {
    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .disableHtmlEscaping()
            .create();

    private Json() {}

    /**
     * Marks a record component that {@link #readStrict} accepts as absent or null (it is then {@code null}); for fields
     * added after a format was published, so older files still load. Gson omits null fields when writing, so files
     * without the field stay byte-identical.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
    public @interface Optional {}

    /** Pretty JSON. */
    public static String write(Object value) {
        return GSON.toJson(value) + "\n";
    }

    /** The shared Gson instance (lenient). */
    public static Gson gson() {
        return GSON;
    }

    /**
     * Reads a record strictly: every component not marked {@link Optional} must be present (recursively for nested records) and no unknown
     * field may appear; the record's compact constructor then validates values.
     *
     * @param json text
     * @param type record class
     * @param source name used in error messages (a file name)
     * @throws IllegalArgumentException with a one-line message naming the source and problem
     */
    public static <T extends Record> T readStrict(String json, Class<T> type, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": top level must be a JSON object");
        }
        check(root, type, "", source);
        try {
            return GSON.fromJson(root, type);
        } catch (RuntimeException e) {
            // Gson wraps the compact constructor's validation error; report that one
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof IllegalArgumentException && !(t instanceof JsonParseException))) {
                t = t.getCause();
            }
            if (t instanceof IllegalArgumentException && !(t instanceof JsonParseException)) {
                throw new IllegalArgumentException(source + ": " + firstLine(t.getMessage()));
            }
            throw new IllegalArgumentException(source + ": invalid value (" + firstLine(String.valueOf(t.getMessage())) + ")");
        }
    }

    /**
     * The strict structural check of {@link #readStrict} for a part of a document (for type adapters that read
     * sections whose type depends on their content).
     *
     * @param path the part's path in the document, for messages ({@code "model"})
     * @throws IllegalArgumentException naming the missing or unknown field
     */
    public static void checkFields(JsonElement el, Class<?> type, String path) {
        check(el, type, path, null);
    }

    private static String prefix(String source) {
        return source == null ? "" : source + ": ";
    }

    private static void check(JsonElement el, Class<?> type, String path, String source) {
        // a type with its own adapter checks itself (e.g. ModelConfig, whose "model" section depends on its type)
        if (!type.isRecord() || type.isAnnotationPresent(com.google.gson.annotations.JsonAdapter.class)) {
            return;
        }
        if (el == null || !el.isJsonObject()) {
            throw new IllegalArgumentException(prefix(source) + (path.isEmpty() ? "top level" : "'" + path + "'")
                    + " must be a JSON object");
        }
        JsonObject obj = el.getAsJsonObject();
        Set<String> known = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            known.add(c.getName());
            String p = path.isEmpty() ? c.getName() : path + "." + c.getName();
            if (!obj.has(c.getName()) || obj.get(c.getName()).isJsonNull()) {
                if (c.isAnnotationPresent(Optional.class)) {
                    continue;
                }
                throw new IllegalArgumentException(prefix(source) + "missing field '" + p + "'");
            }
            check(obj.get(c.getName()), rawClass(c.getGenericType()), p, source);
            Class<?> element = listElement(c.getGenericType());
            if (element != null && element.isRecord() && obj.get(c.getName()).isJsonArray()) {
                var items = obj.get(c.getName()).getAsJsonArray();
                for (int i = 0; i < items.size(); i++) {
                    check(items.get(i), element, p + "[" + i + "]", source);
                }
            }
        }
        for (String k : obj.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(prefix(source) + "unknown field '" + (path.isEmpty() ? k : path + "." + k)
                        + "' (written by a newer vae4j?)");
            }
        }
    }

    /** The element class of a {@code List<X>} component, else null. */
    private static Class<?> listElement(Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == java.util.List.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    private static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}

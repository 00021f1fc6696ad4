package org.vae4j.util;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * JSON for config records, run state, checkpoint history and provenance: the one JSON library of vae4j-core (Jackson).
 *
 * <p>Output ({@link #write}) is pretty-printed exactly as vae4j always wrote it: two-space indents, {@code "name": value},
 * one array element per line, {@code []} and {@code {}} when empty, record components in declaration order, null
 * components left out, numbers as Java prints them ({@code 1.0}, {@code 1.0E-7}), non-finite numbers as the bare tokens
 * {@code NaN}, {@code Infinity} and {@code -Infinity}, only {@code "}, {@code \}, control characters and U+2028/U+2029
 * escaped.
 *
 * <p>Input is strict RFC 8259 JSON, with one extension: the non-finite tokens above, which vae4j writes into metrics and
 * provenance. Single quotes, unquoted names, comments, trailing commas, leading zeros, duplicate names and content after
 * the document are refused; no value is converted to another type ({@code "4"} is not a number, {@code 64.5} and
 * {@code 1e0} are not whole numbers, {@code 5} is not text); unknown fields are refused. Every problem is one line naming
 * the source, what is wrong in words, and where (line and column), without Java class names.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .characterEscapes(new LineSeparatorEscapes())
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            // records are written and read through their components, as fields; no getter-like method adds a property
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // [1, null, 3] is not a list of numbers
            .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
            // 5, 1.5 and true are not text, and true is not a number
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // "NaN" and "Infinity" in quotes are text, as any other string
            .addModule(new SimpleModule("vae4j-numbers")
                    .addDeserializer(double.class, new NumberNotText(double.class, 0.0))
                    .addDeserializer(Double.class, new NumberNotText(Double.class, null)))
            // "" and " " (or "\u0000", which Jackson trims away) are not a missing number, list or object
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false))
            .build();

    private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());

    private Json() {}

    /**
     * Marks a record component that {@link #readStrict} accepts as absent or null (it is then {@code null}); for fields
     * added after a format was published, so older files still load. Null components are left out when writing, so
     * files without the field stay byte-identical.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
    public @interface Optional {}

    /** Pretty JSON, with a final newline (a file's content). */
    public static String write(Object value) {
        return text(value) + "\n";
    }

    /** Pretty JSON without a final newline (a value embedded in other text, such as checkpoint metadata). */
    public static String text(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** A value as a JSON tree (records by their components, as {@link #write} writes them). */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * A value as plain maps, lists, strings, numbers and booleans (whole numbers stay whole: {@code 12}, not
     * {@code 12.0}).
     */
    public static Map<String, Object> toMap(Object value) {
        return MAPPER.convertValue(value, MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
    }

    /**
     * Parses JSON text strictly into a tree.
     *
     * @param source name used in error messages (a file name)
     * @throws IllegalArgumentException {@code "SOURCE: not valid JSON: PROBLEM at line L, column C"}
     */
    public static JsonNode parse(String json, String source) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new IllegalArgumentException(source + ": not valid JSON: the text is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + describe(e));
        }
    }

    /**
     * Reads a value strictly but, unlike {@link #readStrict}, lets fields be absent (they are then 0, false or null):
     * for files whose readers always were tolerant of older writers (provenance, checkpoint history).
     *
     * @param source name used in error messages (a file name)
     * @throws IllegalArgumentException with a one-line message naming the source, the problem and where it is
     */
    public static <T> T read(String json, Class<T> type, String source) {
        return bind(json, MAPPER.constructType(type), source);
    }

    /** {@link #read} of a JSON array of {@code element}s. */
    public static <T> List<T> readList(String json, Class<T> element, String source) {
        return bind(json, MAPPER.getTypeFactory().constructCollectionType(List.class, element), source);
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
        JsonNode root = parse(json, source);
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + ": top level must be a JSON object");
        }
        check(root, type, "", source);
        return bind(json, MAPPER.constructType(type), source);
    }

    /**
     * The strict structural check of {@link #readStrict} for a part of a document (for deserializers that read
     * sections whose type depends on their content).
     *
     * @param path the part's path in the document, for messages ({@code "model"})
     * @throws IllegalArgumentException naming the missing or unknown field
     */
    public static void checkFields(JsonNode el, Class<?> type, String path) {
        check(el, type, path, null);
    }

    /**
     * A JSON problem in words, with its line and column where known: {@code "duplicate field 'latent' at line 3,
     * column 13"}. No Java class names; text from the input is quoted with control characters escaped.
     */
    public static String describe(JacksonException e) {
        return problem(e) + at(e.getLocation());
    }

    private static <T> T bind(String json, JavaType type, String source) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonMappingException e) {
            IllegalArgumentException invalid = invalidValue(e);
            if (invalid != null) {
                // the record's own validation (or a deserializer's): its message, as it is
                throw new IllegalArgumentException(source + ": " + firstLine(invalid.getMessage()));
            }
            String path = path(e.getPath());
            Found found = locate(json, e.getPath());
            JsonLocation where = found == null ? e.getLocation() : found.where();
            if (e instanceof UnrecognizedPropertyException) {
                throw new IllegalArgumentException(source + ": unknown field '" + path + "' (written by a newer vae4j?)" + at(where));
            }
            throw new IllegalArgumentException(source + ": " + (path.isEmpty() ? "the document" : "'" + path + "'") + " "
                    + mismatch(e, found) + at(where));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + describe(e));
        } catch (IllegalArgumentException e) {
            // a deserializer that validates (ModelConfig's) throws this directly when it reads the top level
            throw new IllegalArgumentException(source + ": " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // a record's validation that failed on a value it did not expect (a null, say) rather than refusing it
            throw new IllegalArgumentException(source + ": invalid value (" + (e instanceof NullPointerException
                    ? "a value is missing or null" : clean(e.getMessage())) + ")");
        }
    }

    /** The IllegalArgumentException (not one of Jackson's own) that a creator or deserializer threw, else null. */
    private static IllegalArgumentException invalidValue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException iae) {
                return iae;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // Structure

    private static String prefix(String source) {
        return source == null ? "" : source + ": ";
    }

    private static void check(JsonNode el, Class<?> type, String path, String source) {
        // a type with its own deserializer checks itself (e.g. ModelConfig, whose "model" section depends on its type)
        if (!type.isRecord() || type.isAnnotationPresent(JsonDeserialize.class)) {
            return;
        }
        if (el == null || !el.isObject()) {
            throw new IllegalArgumentException(prefix(source) + (path.isEmpty() ? "top level" : "'" + path + "'")
                    + " must be a JSON object");
        }
        ObjectNode obj = (ObjectNode) el;
        Set<String> known = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            known.add(c.getName());
            String p = path.isEmpty() ? c.getName() : path + "." + c.getName();
            JsonNode value = obj.get(c.getName());
            if (value == null || value.isNull()) {
                if (c.isAnnotationPresent(Optional.class)) {
                    continue;
                }
                throw new IllegalArgumentException(prefix(source) + "missing field '" + p + "'");
            }
            check(value, rawClass(c.getGenericType()), p, source);
            Class<?> element = listElement(c.getGenericType());
            if (element != null && element.isRecord() && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), element, p + "[" + i + "]", source);
                }
            }
        }
        for (var it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(prefix(source) + "unknown field '" + printable(path.isEmpty() ? k : path + "." + k)
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

    // ---------------------------------------------------------------------------------------------
    // Messages

    /** {@code arch.hidden[0]}, from a mapping exception's path. */
    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return printable(b.toString());
    }

    /** What a value of the wrong type was expected to be, and what it was ({@code found}: the value in the text). */
    private static String mismatch(JsonMappingException e, Found found) {
        String what = found == null ? "a value of another kind" : shown(found.token(), found.text());
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            return "has content after its end";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputCoercionException c) {
                Class<?> target = c.getTargetType();
                String range = target == int.class || target == Integer.class ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                        : target == long.class || target == Long.class ? " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE : "";
                return "must be a whole number" + range + ", not " + what;
            }
        }
        if (e instanceof ValueInstantiationException) {
            Throwable cause = e.getCause();
            return "is invalid (" + (cause instanceof NullPointerException || cause == null ? "a value is missing or null"
                    : clean(cause.getMessage())) + ")";
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (target == null) {
            return "is invalid (" + clean(e.getOriginalMessage()) + ")";
        }
        return "must be " + expected(target) + ", not " + what;
    }

    private static String expected(Class<?> t) {
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class || t == Short.class
                || t == byte.class || t == Byte.class) {
            return "a whole number";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == String.class || t == char.class || t == Character.class) {
            return "text in double quotes";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    private static String shown(JsonToken token, String text) {
        if (token == null) {
            return "missing";
        }
        return switch (token) {
            case VALUE_STRING -> "the text \"" + printable(shorten(text)) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> printable(shorten(text));
            case VALUE_TRUE, VALUE_FALSE -> token.asString();
            case VALUE_NULL -> "null";
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            default -> "a value of another kind";
        };
    }

    /** A syntax (or stream limit) problem in words. */
    private static String problem(JacksonException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (m.contains("nesting depth")) {
                return "objects and arrays nested too deeply";
            }
            if (m.contains("Number value length") || m.contains("Number length")) {
                return "a number with too many digits";
            }
            if (m.contains("String value length") || m.contains("Name length")) {
                return "a text too long";
            }
            return "a value beyond this reader's limits";
        }
        if (e instanceof InputCoercionException) {
            return "a number out of range";
        }
        if (m.startsWith("Duplicate field '") || m.startsWith("Duplicate Object property \"")) {
            return "duplicate field '" + printable(shorten(between(m, m.startsWith("Duplicate field") ? "'" : "\"",
                    m.startsWith("Duplicate field") ? "'" : "\""))) + "'";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            return m.contains("VALUE_STRING") || m.contains("in a String value") || m.contains("in field name")
                    ? "the text ends inside a string" : "the text ends early (an object, array or value is not finished)";
        }
        if (m.contains("maybe a (non-standard) comment")) {
            return "comments are not JSON";
        }
        String ch = unexpectedChar(m);
        if (ch != null) {
            if (ch.equals("'")) {
                return "single quotes are not JSON; use double quotes";
            }
            if (m.contains("was expecting double-quote to start field name")) {
                if (ch.equals("}")) {
                    return "a comma before '}' (trailing commas are not JSON)";
                }
                return Character.isLetterOrDigit(ch.codePointAt(0)) || ch.equals("_") || ch.equals("$")
                        ? "a name not in double quotes (starting " + quoted(ch) + "); names must be in double quotes"
                        : "expected a name in double quotes, found " + quoted(ch);
            }
            if (m.contains("was expecting comma to separate Object entries")) {
                return "expected ',' or '}' after an object entry, found " + quoted(ch);
            }
            if (m.contains("was expecting comma to separate Array entries")) {
                return "expected ',' or ']' after an array element, found " + quoted(ch);
            }
            if (m.contains("was expecting a colon to separate field name and value")) {
                return "expected ':' after a name, found " + quoted(ch);
            }
            if (m.contains("expected a valid value") || m.contains("expected a value")) {
                if (ch.equals("\ufeff")) {
                    return "a byte-order mark (U+FEFF) before the JSON; save the file as UTF-8 without one";
                }
                return ch.equals("]") ? "a comma before ']' (trailing commas are not JSON)" : "expected a value, found " + quoted(ch);
            }
            if (m.contains("expected space separating root-level values")) {
                return "content after the end of the document, starting with " + quoted(ch);
            }
            if (m.contains("Leading zeroes") || m.contains("leading zero")) {
                return "numbers must not start with 0";
            }
            return "unexpected " + quoted(ch);
        }
        if (m.startsWith("Unrecognized token '")) {
            String token = between(m, "'", "'");
            return "unexpected text '" + printable(shorten(token)) + "' (text values need double quotes)";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "a control character inside a string (write it as an escape such as \\n or \\u0009)";
        }
        if (m.startsWith("Unrecognized character escape")) {
            return "an invalid escape sequence in a string";
        }
        if (m.startsWith("Unexpected close marker '")) {
            return "unexpected " + quoted(between(m, "'", "'")) + " (brackets do not match)";
        }
        if (m.contains("Leading zeroes") || m.contains("leading zero")) {
            return "numbers must not start with 0";
        }
        if (m.startsWith("Non-standard token '")) {
            return quoted(shorten(between(m, "'", "'"))) + " is not a JSON number";
        }
        if (m.startsWith("Invalid numeric value") || m.contains("Non-standard")) {
            return "an invalid number";
        }
        if (m.startsWith("Trailing token")) {
            return "content after the end of the document";
        }
        if (m.contains("Invalid UTF-8") || m.contains("Invalid UTF-32") || m.contains("Unexpected UTF")) {
            return "the text is not valid UTF-8";
        }
        return "malformed JSON (" + clean(m) + ")";
    }

    /** The character X of Jackson's {@code "Unexpected character ('X' (code N))"}, else null. */
    private static String unexpectedChar(String m) {
        String head = "Unexpected character ('";
        if (!m.startsWith(head)) {
            return null;
        }
        int end = m.indexOf("' (code ", head.length());
        return end < 0 ? null : m.substring(head.length(), end);
    }

    private static String quoted(String s) {
        return "'" + printable(s) + "'";
    }

    private static String between(String m, String open, String close) {
        int a = m.indexOf(open);
        int b = a < 0 ? -1 : m.indexOf(close, a + open.length());
        return a < 0 || b < 0 ? "" : m.substring(a + open.length(), b);
    }

    /** A Jackson message without its class names, feature hints and nested locations. */
    private static String clean(String m) {
        if (m == null) {
            return "unknown problem";
        }
        String s = firstLine(m)
                .replaceAll(" \\(for [^)]*\\)", "")
                .replaceAll("\\[Source: [^\\]]*\\]", "")
                .replaceAll("`[^`]*`", "the value")
                .replaceAll("\\b(?:[a-z]+\\.)+[A-Z][\\w$]*", "the value");
        return printable(shorten(s));
    }

    private static String at(JsonLocation where) {
        if (where == null || where.getLineNr() < 1) {
            return "";
        }
        return " at line " + where.getLineNr() + ", column " + Math.max(1, where.getColumnNr());
    }

    /** A value in the text: where it starts, its first token and that token's text. */
    private record Found(JsonLocation where, JsonToken token, String text) {}

    /** The value at {@code path} in {@code json}, or null. */
    private static Found locate(String json, List<JsonMappingException.Reference> path) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                return null;
            }
            return locate(p, path, 0);
        } catch (IOException e) {
            return null;
        }
    }

    private static Found locate(JsonParser p, List<JsonMappingException.Reference> path, int depth) throws IOException {
        while (depth < path.size() && path.get(depth).getFieldName() == null && path.get(depth).getIndex() < 0) {
            depth++;
        }
        if (depth == path.size()) {
            return new Found(p.currentTokenLocation(), p.currentToken(), p.getText());
        }
        JsonMappingException.Reference r = path.get(depth);
        if (p.currentToken() == JsonToken.START_OBJECT && r.getFieldName() != null) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(r.getFieldName())) {
                    return locate(p, path, depth + 1);
                }
                p.skipChildren();
            }
        } else if (p.currentToken() == JsonToken.START_ARRAY && r.getIndex() >= 0) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null) {
                if (i++ == r.getIndex()) {
                    return locate(p, path, depth + 1);
                }
                p.skipChildren();
            }
        }
        return null;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Control, line-separator, invisible formatting and unpaired surrogate characters as {@code \\uXXXX}. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                b.append(c).append(s.charAt(++i));
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                    || c == '\ufeff' || (c >= '\u200b' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069')) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    // ---------------------------------------------------------------------------------------------
    // Output format

    /** Two-space indents, {@code "name": value}, one array element per line, {@code []} and {@code {}} when empty. */
    private static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(separators);
        pp.indentArraysWith(indenter);
        pp.indentObjectsWith(indenter);
        return pp;
    }

    /** Jackson's double reader, without its conversion of the strings "NaN", "Infinity" and "-Infinity" to numbers. */
    private static final class NumberNotText extends NumberDeserializers.DoubleDeserializer {
        private static final long serialVersionUID = 1L;

        NumberNotText(Class<Double> type, Double nullValue) {
            super(type, nullValue);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                return (Double) ctxt.handleUnexpectedToken(handledType(), p);
            }
            return super.deserialize(p, ctxt);
        }
    }

    /** The standard JSON escapes, and U+2028/U+2029 (line separators to JavaScript) as {@code \u2028}, {@code \u2029}. */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = CharacterEscapes.standardAsciiEscapesForJSON();
        private static final SerializedString LS = new SerializedString("\\u2028");
        private static final SerializedString PS = new SerializedString("\\u2029");

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == '\u2028' ? LS : ch == '\u2029' ? PS : null;
        }
    }
}

package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.vae4j.io.ModelFormatException;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.util.Json;

/**
 * Hostile {@code config.json} files read through {@link ModelStore#readConfig(Path)}: valid configs with fields
 * deleted, renamed, duplicated or given wrong types, huge numbers, NaN and infinities, unknown versions, edited
 * arrays, truncated or garbled text, empty files, byte-order marks, other encodings and random bytes. Every case is
 * either a valid config (which then round-trips through {@link Json}) or a one-line
 * {@link ModelFormatException} naming the file; nothing else may escape.
 */
class ConfigFilePropertiesTest {

    /** A stack-trace frame such as {@code at org.vae4j.util.Json.readStrict(Json.java:47)}. */
    static final String STACK_FRAME = "at [\\w$.]+\\([\\w$.]*(:\\d+)?\\)";

    private static Path tmp;

    @BeforeContainer
    static void createTempDir() throws IOException {
        tmp = Files.createTempDirectory("vae4j-config-prop");
    }

    @AfterContainer
    static void deleteTempDir() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A named edit of the config text. */
    record Edit(String name, UnaryOperator<String> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A named edit of the final file bytes. */
    record ByteEdit(String name, UnaryOperator<byte[]> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One case: the valid config it started from, the edits, and the resulting file. */
    record Case(ModelConfig original, List<Edit> edits, List<ByteEdit> byteEdits, byte[] bytes) {
        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return "edits " + edits + ", byte edits " + byteEdits + " of " + original + "; file ("
                    + bytes.length + " bytes): " + (text.length() > 800 ? text.substring(0, 800) + "..." : text)
                    + " hex " + HexFormat.of().formatHex(bytes, 0, Math.min(16, bytes.length));
        }
    }

    @Property(tries = 10000, shrinking = ShrinkingMode.OFF)
    @StatisticsReport(label = "problem", onFailureOnly = true)
    void everyConfigFileIsValidOrRejectedWithAOneLineMessage(@ForAll("cases") Case c) throws IOException {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        Path file = dir.resolve(ModelStore.CONFIG);
        // a new file each time: rewriting a truncated file makes ext4 flush it on close (auto_da_alloc), 2 ms a case
        Files.deleteIfExists(file);
        Files.write(file, c.bytes());

        ModelConfig config = null;
        ModelFormatException rejection = null;
        try {
            config = ModelStore.readConfig(dir);
        } catch (ModelFormatException e) {
            rejection = e;
        } catch (Throwable t) {
            fail("%s escaped for %s", t, c);
        }

        if (rejection == null) {
            assertThat(config).as("%s", c).isNotNull();
            // a config that was accepted is a config: it writes and reads back to itself, and its sizes do not overflow
            assertThat(Json.readStrict(Json.write(config), ModelConfig.class, "again")).as("%s", c).isEqualTo(config);
            long features = 1;
            for (int s : config.inputShape()) {
                features *= s;
            }
            assertThat((long) config.featureSize()).as("feature size of %s", c).isEqualTo(features);
            Statistics.label("outcome").collect(config.equals(c.original()) ? "valid, unchanged" : "valid, changed");
        } else {
            String m = rejection.getMessage();
            assertThat(m).as("%s", c)
                    .startsWith(file + ": ")
                    .doesNotContain("\n", "\r", "\u2028", "\u2029", "\tat ", "Caused by")
                    .doesNotContainPattern(STACK_FRAME)
                    .doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]") // no terminal escapes from the file
                    .hasSizeLessThan(1000);
            Statistics.label("outcome").collect("rejected");
            Statistics.label("problem").collect(problemKind(m.substring(file.toString().length() + 2)));
        }
        Statistics.label("outcome").coverage(cov -> {
            cov.check("rejected").percentage(p -> p > 50);
            cov.check("valid, unchanged").percentage(p -> p > 3);
        });
    }

    static String problemKind(String problem) {
        return problem.replaceAll("'[^']*'", "'_'").replaceAll("\\(.*", "(...").replaceAll("-?\\d+(\\.\\d+)?", "N");
    }

    // ---------------------------------------------------------------------------------------------
    // Generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Edit>> edits = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<Edit>of())),
                Tuple.of(9, edit().list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<List<ByteEdit>> byteEdits = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(List.<ByteEdit>of())),
                Tuple.of(2, byteEdit().list().ofMinSize(1).ofMaxSize(2)));
        return Combinators.combine(validConfigs(), edits, byteEdits).as((config, es, bs) -> {
            String text = Json.write(config);
            for (Edit e : es) {
                text = e.op().apply(text);
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (ByteEdit b : bs) {
                bytes = b.op().apply(bytes);
            }
            return new Case(config, es, bs, bytes);
        });
    }

    static Arbitrary<ModelConfig> validConfigs() {
        Arbitrary<String> model = Arbitraries.of("vae", "ae");
        Arbitrary<List<Integer>> shape = Arbitraries.of(List.of(1, 8, 8), List.of(1, 28, 28), List.of(3, 16, 16),
                List.of(784), List.of(5));
        Arbitrary<Integer> latent = Arbitraries.integers().between(1, 64);
        Arbitrary<List<Integer>> hidden = Arbitraries.integers().between(1, 512).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> activation = Arbitraries.of("relu", "tanh", "elu", "gelu", "leaky-relu", "softplus");
        Arbitrary<Double> dropout = Arbitraries.of(0.0, 0.1, 0.5);
        Arbitrary<String> likelihood = Arbitraries.of(LikelihoodKind.values()).filter(k -> !k.needsTable()).map(LikelihoodKind::id);
        Arbitrary<Double> positive = Arbitraries.of(1.0, 0.5, 4.0, 1e-3, 250.0);
        Arbitrary<String> binarize = Arbitraries.of("none", "static", "dynamic");
        Arbitrary<Boolean> conv = Arbitraries.of(false, false, true);
        return Combinators.combine(model, shape, latent, hidden, activation, dropout, likelihood,
                Combinators.combine(positive, positive, binarize, conv).as(List::<Object>of))
                .as((m, s, l, h, a, d, lk, rest) -> {
                    boolean isConv = (Boolean) rest.get(3) && s.size() == 3;
                    ArchConfig arch = isConv
                            ? new ArchConfig("conv", h.subList(0, 1), List.of(4, 8), a, d)
                            : new ArchConfig("mlp", h, List.of(), a, d);
                    try {
                        return new ModelConfig(ModelConfig.FORMAT_VERSION, m, s, l, arch, lk, (Double) rest.get(0),
                                (Double) rest.get(1), new DataTransform((String) rest.get(2)));
                    } catch (IllegalArgumentException e) {
                        return null; // a variant refusing a likelihood or shape: not a valid starting point
                    }
                })
                .filter(c -> c != null);
    }

    /** Replacement values: wrong types, extreme and non-finite numbers, odd strings. */
    static Arbitrary<String> tokens() {
        return Arbitraries.of(
                "null", "true", "false", "\"\"", "\"x\"", "\"1\"", "\"vae\"", "\"VAE\"", "\"mlp\"", "\"conv\"",
                "\"bernoulli\"", "\"none\"", "\"NaN\"", "[]", "{}", "[1]", "[1,2]", "[null]", "[\"a\"]", "[1, null, 3]",
                "{\"a\": 1}", "0", "1", "-1", "2", "1.5", "-0", "0.0", "1e0", "1E2", "-1e-9", "1e400", "-1e400",
                "1e-400", "4.9e-324", "1.7976931348623157e308", "99999999999999999999", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "9223372036854775807", "4096", "4097", "65536", "65537", "NaN",
                "Infinity", "-Infinity", "0x10", "1_000", "01", "\"\\u0000\"", "\"\\ud800\"", "\"\\u001b[31m\"",
                "\"a\\nb\"", "\"" + "z".repeat(300) + "\"", "[65536, 65536, 65536]", "[2147483647]",
                "[1, 65536, 65536]", "[4096, 4096, 4096]");
    }

    static Arbitrary<String> versions() {
        return Arbitraries.of("0", "2", "999", "-1", "\"1\"", "1.0", "1.5", "1e0", "2147483648", "null", "true",
                "[1]", "NaN");
    }

    static Arbitrary<String> names() {
        return Arbitraries.of("Latent", "latent ", "", "formatversion", "x", "__proto__", "model\\u0000", "arch2",
                "inputshape", "beta", "sigma", "hidden", "type", "binarize", "\\u00e9");
    }

    static Arbitrary<Edit> edit() {
        Arbitrary<Double> f = fraction();
        return Arbitraries.frequencyOf(
                Tuple.of(3, f.map(x -> tree("delete@" + fmt(x), x, (obj, key) -> obj.remove(key)))),
                Tuple.of(2, Combinators.combine(f, names()).as((x, n) -> tree("rename@" + fmt(x) + "->" + n, x,
                        (obj, key) -> {
                            JsonNode v = obj.remove(key);
                            obj.set(PLACEHOLDER_KEY, v);
                        }, "\"" + n + "\"", null))),
                Tuple.of(2, Combinators.combine(f, Arbitraries.of(true, false), tokens()).as((x, same, t) ->
                        duplicate("duplicate@" + fmt(x) + (same ? "(same value)" : "=" + t), x, same ? null : t))),
                Tuple.of(6, Combinators.combine(f, tokens()).as((x, t) -> tree("set@" + fmt(x) + "=" + t, x,
                        (obj, key) -> obj.set(key, TextNode.valueOf(PLACEHOLDER)), null, t))),
                Tuple.of(2, versions().map(v -> new Edit("formatVersion=" + v,
                        s -> s.replaceFirst("\"formatVersion\": 1", "\"formatVersion\": " + v)))),
                Tuple.of(3, Combinators.combine(f, tokens(), Arbitraries.integers().between(0, 2))
                        .as((x, t, how) -> arrayEdit(x, t, how))),
                Tuple.of(2, f.map(x -> new Edit("truncate@" + fmt(x), s -> s.substring(0, (int) (x * s.length()))))),
                Tuple.of(2, Combinators.combine(f, Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", "/", "#",
                        "'", "-", ".", "e", "0", "9", " ", "\u0000", "\u00e9", "\ud800", "\u2028", "\ufeff", "//",
                        "/*", "NaN")).as((x, ch) -> new Edit("insert@" + fmt(x) + " " + printable(ch),
                                s -> insertAt(s, x, ch)))),
                Tuple.of(1, f.map(x -> new Edit("deleteChar@" + fmt(x), s -> deleteAt(s, x)))),
                Tuple.of(1, Arbitraries.of("", " ", "\n\n", "null", "[]", "{}", "\"x\"", "1", "NaN", "{\"a\":",
                        "}{", "// only a comment", "not json at all").map(t -> new Edit("replace all with "
                                + printable(t), s -> t))),
                Tuple.of(1, Arbitraries.of("x", "}", "{}", "// c", "\u0000", ",", "[1]", " ", "\n").map(t ->
                        new Edit("append " + printable(t), s -> s + t))),
                Tuple.of(1, Arbitraries.of("/* c */", "// c\n", ")]}'\n", "\ufeff", "\ufeff\ufeff").map(t ->
                        new Edit("prepend " + printable(t), s -> t + s))));
    }

    static Arbitrary<ByteEdit> byteEdit() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(new ByteEdit("utf-8 BOM", b -> concat(new byte[] {(byte) 0xEF,
                        (byte) 0xBB, (byte) 0xBF}, b)))),
                Tuple.of(1, Arbitraries.just(new ByteEdit("utf-16be with BOM", b -> concat(new byte[] {(byte) 0xFE,
                        (byte) 0xFF}, new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16BE))))),
                Tuple.of(1, Arbitraries.just(new ByteEdit("utf-16le", b -> new String(b, StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_16LE)))),
                Tuple.of(2, Combinators.combine(fraction(), Arbitraries.of((byte) 0x80, (byte) 0xC3, (byte) 0xFF,
                        (byte) 0xED, (byte) 0x00, (byte) 0xF4)).as((x, v) -> new ByteEdit("byte@" + fmt(x) + "="
                                + (v & 0xff), b -> setAt(b, x, v)))),
                Tuple.of(2, Combinators.combine(fraction(), Arbitraries.integers().between(0, 7)).as((x, bit) ->
                        new ByteEdit("bitflip@" + fmt(x) + "#" + bit, b -> xorAt(b, x, 1 << bit)))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(r -> new ByteEdit("random "
                        + r.length + " bytes", b -> r.clone()))));
    }

    // ---------------------------------------------------------------------------------------------
    // Edit helpers

    private static final String PLACEHOLDER = "@@VALUE@@";
    private static final String PLACEHOLDER_KEY = "@@KEY@@";

    interface MemberEdit {
        void apply(ObjectNode obj, String key);
    }

    /** Object members in document order: the owning object and the key. */
    static List<Map.Entry<ObjectNode, String>> members(JsonNode root) {
        List<Map.Entry<ObjectNode, String>> out = new ArrayList<>();
        if (root != null && root.isObject()) {
            ObjectNode obj = (ObjectNode) root;
            List<String> keys = new ArrayList<>();
            obj.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                out.add(Map.entry(obj, k));
                out.addAll(members(obj.get(k)));
            }
        }
        return out;
    }

    static JsonNode parseOrNull(String s) {
        try {
            JsonNode e = Json.parse(s, "edit");
            return e.isObject() ? e : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Edit tree(String name, double x, MemberEdit edit) {
        return tree(name, x, edit, null, null);
    }

    /**
     * Applies {@code edit} to the member chosen by {@code x}, then re-serialises, replacing placeholder keys and
     * values with raw text (which may be invalid JSON or values a JsonNode cannot hold).
     */
    static Edit tree(String name, double x, MemberEdit edit, String keyText, String valueText) {
        return new Edit(name, s -> {
            JsonNode root = parseOrNull(s);
            if (root == null) {
                return s;
            }
            List<Map.Entry<ObjectNode, String>> ms = members(root);
            if (ms.isEmpty()) {
                return s;
            }
            Map.Entry<ObjectNode, String> m = ms.get(Math.min(ms.size() - 1, (int) (x * ms.size())));
            edit.apply(m.getKey(), m.getValue());
            String out = Json.write(root);
            if (keyText != null) {
                out = out.replace("\"" + PLACEHOLDER_KEY + "\"", keyText);
            }
            if (valueText != null) {
                out = out.replace("\"" + PLACEHOLDER + "\"", valueText);
            }
            return out;
        });
    }

    /** Puts a second member with the chosen key at the front of its object: same value, or {@code valueText}. */
    static Edit duplicate(String name, double x, String valueText) {
        return new Edit(name, s -> {
            JsonNode root = parseOrNull(s);
            if (root == null) {
                return s;
            }
            List<Map.Entry<ObjectNode, String>> ms = members(root);
            if (ms.isEmpty()) {
                return s;
            }
            Map.Entry<ObjectNode, String> m = ms.get(Math.min(ms.size() - 1, (int) (x * ms.size())));
            ObjectNode obj = m.getKey();
            String key = m.getValue();
            JsonNode dupValue = valueText == null ? obj.get(key).deepCopy() : TextNode.valueOf(PLACEHOLDER);
            List<Map.Entry<String, JsonNode>> rest = new ArrayList<>();
            obj.fields().forEachRemaining(rest::add);
            obj.removeAll();
            obj.set(PLACEHOLDER_KEY, dupValue);
            for (Map.Entry<String, JsonNode> e : rest) {
                obj.set(e.getKey(), e.getValue());
            }
            String out = Json.write(root).replace("\"" + PLACEHOLDER_KEY + "\"", "\"" + key + "\"");
            return valueText == null ? out : out.replace("\"" + PLACEHOLDER + "\"", valueText);
        });
    }

    /** Edits an array (inputShape, hidden, channels): replace an element, append one, or empty it. */
    static Edit arrayEdit(double x, String token, int how) {
        String what = switch (how) {
            case 0 -> "replace element";
            case 1 -> "append";
            default -> "empty";
        };
        return new Edit("array@" + fmt(x) + " " + what + (how < 2 ? " " + token : ""), s -> {
            JsonNode root = parseOrNull(s);
            if (root == null) {
                return s;
            }
            List<ArrayNode> arrays = new ArrayList<>();
            for (Map.Entry<ObjectNode, String> m : members(root)) {
                JsonNode v = m.getKey().get(m.getValue());
                if (v.isArray()) {
                    arrays.add((ArrayNode) v);
                }
            }
            if (arrays.isEmpty()) {
                return s;
            }
            ArrayNode a = arrays.get(Math.min(arrays.size() - 1, (int) (x * arrays.size())));
            if (how == 0 && a.size() > 0) {
                a.set((int) (x * 7919) % a.size(), TextNode.valueOf(PLACEHOLDER));
            } else if (how == 1 || how == 0) {
                a.add(TextNode.valueOf(PLACEHOLDER));
            } else {
                while (a.size() > 0) {
                    a.remove(0);
                }
            }
            return Json.write(root).replace("\"" + PLACEHOLDER + "\"", token);
        });
    }

    static Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1).withSpecialValue(0.0).withSpecialValue(0.9999);
    }

    static String fmt(double f) {
        return String.format(java.util.Locale.ROOT, "%.3f", f);
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char ch : s.toCharArray()) {
            b.append(ch < 0x20 || ch > 0x7e ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return b.append("'").toString();
    }

    static String insertAt(String s, double x, String t) {
        int i = Math.min(s.length(), (int) (x * s.length()));
        return s.substring(0, i) + t + s.substring(i);
    }

    static String deleteAt(String s, double x) {
        if (s.isEmpty()) {
            return s;
        }
        int i = Math.min(s.length() - 1, (int) (x * s.length()));
        return s.substring(0, i) + s.substring(i + 1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] setAt(byte[] b, double x, byte v) {
        if (b.length == 0) {
            return new byte[] {v};
        }
        byte[] c = b.clone();
        c[Math.min(b.length - 1, (int) (x * b.length))] = v;
        return c;
    }

    static byte[] xorAt(byte[] b, double x, int v) {
        if (b.length == 0) {
            return b;
        }
        byte[] c = b.clone();
        c[Math.min(b.length - 1, (int) (x * b.length))] ^= (byte) v;
        return c;
    }
}

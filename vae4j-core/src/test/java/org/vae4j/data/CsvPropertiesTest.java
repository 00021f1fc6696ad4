package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Assertions;

/**
 * Hostile CSV files: a valid mixed table (numbers, 0/1, texts, quoted fields with commas, quotes and line breaks)
 * mutated by random bytes, unbalanced quotes, ragged rows, huge fields, NaN/Infinity texts, empty lines, stray
 * CR/LF, inserted or deleted bytes. Loading must either succeed with consistent splits or fail with a one-line
 * {@link DataException} that names the file (and the line, where the mutation is on a known line); no other
 * exception may escape and nothing may hang.
 */
class CsvPropertiesTest {
    private static Path tmp;

    @BeforeContainer
    static void createTempDir() throws IOException {
        tmp = Files.createTempDirectory("vae4j-csv-prop");
    }

    @AfterContainer
    static void deleteTempDir() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static final String[] WORDS = {"red", "green", "blue", "a,b", "say \"hi\"", "two\nlines", "é", "NA", ""};

    /** A valid table: header + rows of (id, number, flag, word, number). */
    static List<String> validLines(SplittableRandom r, int rows) {
        List<String> lines = new ArrayList<>();
        lines.add("id,x,flag,word,y");
        for (int i = 0; i < rows; i++) {
            String w = WORDS[r.nextInt(WORDS.length - 2)]; // no missing words: the default policy rejects them
            String quoted = "\"" + w.replace("\"", "\"\"") + "\"";
            lines.add("r" + i + "," + String.format(Locale.ROOT, "%.3f", r.nextDouble() * 100 - 50) + "," + r.nextInt(2)
                    + "," + quoted + "," + r.nextInt(1000));
        }
        return lines;
    }

    enum Mutation { NONE, RANDOM_BYTES, UNBALANCED_QUOTE, RAGGED, HUGE_FIELD, NON_FINITE_TEXT, EMPTY_LINES, STRAY_CR, FLIP_BYTES, INSERT_BYTES, DELETE_BYTES, TRUNCATE }

    record Case(Mutation mutation, long seed, int rows, String options) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Mutation> m = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Mutation.NONE)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Mutation.RANDOM_BYTES)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Mutation.UNBALANCED_QUOTE)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Mutation.RAGGED)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Mutation.HUGE_FIELD)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Mutation.NON_FINITE_TEXT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Mutation.EMPTY_LINES)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Mutation.STRAY_CR)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Mutation.FLIP_BYTES)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Mutation.INSERT_BYTES)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Mutation.DELETE_BYTES)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Mutation.TRUNCATE)));
        Arbitrary<String> options = Arbitraries.of("", ",id=id", ",id=id,missing=mask", ",label=word,val=0.5", ",ignore=word;flag,val=0");
        return net.jqwik.api.Combinators.combine(m, Arbitraries.longs(), Arbitraries.integers().between(0, 60), options)
                .as(Case::new);
    }

    /** The file and, where the mutation sits on a known line and must be reported there, that line; else -1. */
    record Built(byte[] bytes, long line) {}

    static Built build(Case c) {
        SplittableRandom r = new SplittableRandom(c.seed());
        List<String> lines = validLines(r, c.rows());
        long line = -1;
        switch (c.mutation()) {
            case RAGGED -> {
                if (c.rows() > 0) {
                    int k = 1 + r.nextInt(c.rows());
                    String l = lines.get(k);
                    lines.set(k, r.nextBoolean() ? l + ",extra" : l.substring(0, l.lastIndexOf(',')));
                    line = physicalLine(lines, k);
                }
            }
            case UNBALANCED_QUOTE -> {
                int k = r.nextInt(lines.size());
                lines.set(k, lines.get(k) + ",\"open");
                // the quote either runs to the end of the file or closes at the next quoted word, which is followed by
                // a letter: both are reported on the line where the record starts
                line = physicalLine(lines, k);
            }
            case HUGE_FIELD -> {
                int k = r.nextInt(lines.size());
                lines.set(k, "x".repeat(CsvReader.MAX_FIELD_CHARS + 1 + r.nextInt(100)) + lines.get(k));
                line = physicalLine(lines, k);
            }
            case NON_FINITE_TEXT -> {
                if (c.rows() > 0) {
                    int k = 1 + r.nextInt(c.rows());
                    String bad = List.of("NaN", "Infinity", "-Infinity", "inf", "1e999", "0x1p3", "nan", "1,5").get(r.nextInt(8));
                    lines.set(k, lines.get(k).replaceFirst(",[-0-9.]+,", "," + bad + ","));
                }
            }
            case EMPTY_LINES -> {
                for (int i = 0; i < 3; i++) {
                    lines.add(r.nextInt(lines.size() + 1), "");
                }
            }
            default -> { }
        }
        String text = String.join(r.nextBoolean() ? "\n" : "\r\n", lines) + (r.nextBoolean() ? "\n" : "");
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        switch (c.mutation()) {
            case RANDOM_BYTES -> {
                b = new byte[r.nextInt(2000)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
            }
            case STRAY_CR -> b = insert(b, r, (byte) '\r');
            case FLIP_BYTES -> {
                for (int i = 0; i < 1 + r.nextInt(4) && b.length > 0; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case INSERT_BYTES -> {
                byte[] pool = {'"', ',', '\n', '\r', 0, (byte) 0xff, (byte) 0xc3, 'x', '7'};
                b = insert(b, r, pool[r.nextInt(pool.length)]);
            }
            case DELETE_BYTES -> {
                if (b.length > 1) {
                    int at = r.nextInt(b.length);
                    byte[] out = new byte[b.length - 1];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                    b = out;
                }
            }
            case TRUNCATE -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            default -> { }
        }
        return new Built(b, line);
    }

    /** The 1-based physical line of list element {@code k} (earlier elements may span several lines). */
    static long physicalLine(List<String> lines, int k) {
        long line = 1;
        for (int i = 0; i < k; i++) {
            String l = lines.get(i);
            line += l.isEmpty() ? 1 : 1 + l.chars().filter(ch -> ch == '\n').count();
        }
        return line;
    }

    static byte[] insert(byte[] b, SplittableRandom r, byte v) {
        int at = r.nextInt(b.length + 1);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    @Property(tries = 600)
    void hostileFilesLoadConsistentlyOrFailWithOneLineNamingFileAndLine(@ForAll("cases") Case c) throws IOException {
        Built built = build(c);
        Path f = tmp.resolve("hostile.csv");
        Files.write(f, built.bytes());
        String spec = "csv:" + f + c.options();
        String outcome = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                DataSplits s = DataSources.load(spec, LoadContext.defaults());
                if (built.line() > 0) {
                    fail("expected an error on line " + built.line() + " for " + c);
                }
                ArrayDataset tr = s.train().materialize();
                assertThat(tr.table()).isNotNull();
                assertThat(s.test().table()).isEqualTo(tr.table());
                assertThat(tr.featureSize()).isEqualTo(tr.table().width());
                for (float v : tr.data()) {
                    assertThat(Float.isInfinite(v)).isFalse();
                }
                return "loaded";
            } catch (DataException e) {
                String m = e.getMessage();
                assertThat(m).as(c.toString()).startsWith(f.toString() + ": ").doesNotContain("\n");
                if (built.line() > 0) {
                    assertThat(m).as(c.toString()).startsWith(f + ": line " + built.line() + ": ");
                }
                return "DataException";
            }
        });
        Statistics.collect(c.mutation(), outcome);
    }

    @Property(tries = 200)
    void aRaggedRowIsReportedOnItsExactLine(@ForAll("seeds") long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = validLines(r, 1 + r.nextInt(40));
        int k = 1 + r.nextInt(lines.size() - 1);
        lines.set(k, lines.get(k) + ",surplus");
        Path f = tmp.resolve("ragged.csv");
        Files.writeString(f, String.join("\r\n", lines) + "\r\n");
        assertThatThrownBy(() -> DataSources.load("csv:" + f, LoadContext.defaults()))
                .isInstanceOf(DataException.class)
                .hasMessage(f + ": line " + physicalLine(lines, k) + ": 6 fields but the header has 5 columns");
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}

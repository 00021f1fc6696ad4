package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path tmp;

    private List<String[]> read(byte[] bytes) throws Exception {
        Path f = tmp.resolve("r.csv");
        Files.write(f, bytes);
        List<String[]> out = new ArrayList<>();
        try (CsvReader r = new CsvReader(f, "r.csv")) {
            String[] rec;
            while ((rec = r.next()) != null) {
                out.add(rec);
            }
        }
        return out;
    }

    private List<String[]> read(String text) throws Exception {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() throws Exception {
        List<String[]> rows = read("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n  plain  ,,\"\"\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).containsExactly("x, y", "say \"hi\"", "two\r\nlines");
        // unquoted fields are trimmed; empty and quoted-empty fields stay empty
        assertThat(rows.get(2)).containsExactly("plain", "", "");
    }

    @Test
    void byteOrderMarkLoneCrAndMissingFinalNewlineAreAccepted() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "h1,h2\r1,2\n\n3,4".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        List<String[]> rows = read(all);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly("h1", "h2");
        assertThat(rows.get(2)).containsExactly("3", "4");
    }

    @Test
    void recordLineIsTheLineOnWhichTheRecordStarts() throws Exception {
        Path f = tmp.resolve("l.csv");
        Files.writeString(f, "a,b\n\"1\n2\",3\n\n4,5\n");
        try (CsvReader r = new CsvReader(f, "l.csv")) {
            r.next();
            assertThat(r.recordLine()).isEqualTo(1);
            r.next();
            assertThat(r.recordLine()).isEqualTo(2);
            r.next();
            assertThat(r.recordLine()).isEqualTo(5);
        }
    }

    @Test
    void malformedInputIsReportedWithFileAndLine() {
        assertThatThrownBy(() -> read("a,b\n1,\"open\n2,3\n")).isInstanceOf(DataException.class)
                .hasMessage("r.csv: line 2: unterminated quoted field (the quote opened on line 2 is never closed)");
        assertThatThrownBy(() -> read("a,b\n1,x\"y\n")).isInstanceOf(DataException.class)
                .hasMessageStartingWith("r.csv: line 2: quote inside unquoted field 2");
        assertThatThrownBy(() -> read("a,b\n\"1\"x,2\n")).isInstanceOf(DataException.class)
                .hasMessage("r.csv: line 2: unexpected character 'x' after the closing quote of field 1");
        assertThatThrownBy(() -> read(new byte[] {'a', '\n', (byte) 0xC3, '\n'})).isInstanceOf(DataException.class)
                .hasMessageStartingWith("r.csv: line ").hasMessageEndingWith("not valid UTF-8 text");
        assertThatThrownBy(() -> new CsvReader(tmp.resolve("absent.csv"), "absent.csv"))
                .isInstanceOf(DataException.class).hasMessage("absent.csv: no such file");
    }

    @Test
    void hugeFieldsAreRefusedBeforeMemoryRunsOut() {
        String big = "a\n\"" + "x".repeat(CsvReader.MAX_FIELD_CHARS + 10) + "\"\n";
        assertThatThrownBy(() -> read(big)).isInstanceOf(DataException.class)
                .hasMessage("r.csv: line 2: field 1 is longer than " + CsvReader.MAX_FIELD_CHARS + " characters");
    }
}

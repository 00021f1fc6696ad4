package org.vae4j.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming reader of RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line breaks
 * and doubled quotes ({@code ""}); records end with CRLF, LF or CR; the file is UTF-8, with or without a byte-order
 * mark. Unquoted fields are trimmed of surrounding blanks; a quote inside an unquoted field, text after a closing
 * quote, an unterminated quote and invalid UTF-8 are errors. Empty lines are skipped.
 *
 * <p>Every error is a one-line {@link DataException} {@code FILE: line N: problem}, where N is the 1-based line on
 * which the record starts. Fields are limited to {@value #MAX_FIELD_CHARS} characters and records to
 * {@value #MAX_FIELDS} fields, so a hostile file cannot exhaust memory.
 */
final class CsvReader implements Closeable {
    /** Longest field accepted, in characters. */
    static final int MAX_FIELD_CHARS = 1 << 20;
    /** Most fields in one record. */
    static final int MAX_FIELDS = 100_000;

    private final String file;
    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private int pushback = -2;
    private long line = 1;
    private long recordLine;
    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();

    /**
     * Opens a file.
     *
     * @param path the CSV file
     * @param name how the file is named in messages
     * @throws DataException if it cannot be opened
     */
    CsvReader(Path path, String name) {
        this.file = name;
        try {
            this.in = new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such file");
        } catch (IOException e) {
            throw new DataException(name + ": cannot open: " + e.getMessage(), e);
        }
        if (peek() == '\uFEFF') {
            read();
        }
    }

    /** The 1-based line on which the record last returned by {@link #next()} starts. */
    long recordLine() {
        return recordLine;
    }

    /** The file's name as used in messages. */
    String file() {
        return file;
    }

    /** An error about the current record: {@code FILE: line N: problem}. */
    DataException error(String problem) {
        return new DataException(file + ": line " + recordLine + ": " + problem);
    }

    /**
     * Reads the next record.
     *
     * @return its fields, or {@code null} at the end of the file
     * @throws DataException on malformed input
     */
    String[] next() {
        int c;
        // skip empty lines
        while (true) {
            c = read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                line++;
            } else if (c == '\r') {
                if (peek() == '\n') {
                    read();
                }
                line++;
            } else {
                pushback = c;
                break;
            }
        }
        recordLine = line;
        fields.clear();
        while (true) {
            field.setLength(0);
            c = read();
            if (c == '"') {
                long opened = line;
                while (true) {
                    c = read();
                    if (c == -1) {
                        throw error("unterminated quoted field (the quote opened on line " + opened + " is never closed)");
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                        } else {
                            break;
                        }
                    } else if (c == '\n') {
                        line++;
                    }
                    append(c);
                }
                c = read();
                if (c != ',' && c != '\n' && c != '\r' && c != -1) {
                    throw error("unexpected " + describe(c) + " after the closing quote of field " + (fields.size() + 1));
                }
                addField(field.toString());
            } else {
                while (c != ',' && c != '\n' && c != '\r' && c != -1) {
                    if (c == '"') {
                        throw error("quote inside unquoted field " + (fields.size() + 1) + " (quote the whole field and double inner quotes)");
                    }
                    append(c);
                    c = read();
                }
                addField(field.toString().strip());
            }
            if (c == ',') {
                continue;
            }
            if (c == '\r' && peek() == '\n') {
                read();
            }
            if (c != -1) {
                line++;
            }
            return fields.toArray(new String[0]);
        }
    }

    private void addField(String f) {
        if (fields.size() >= MAX_FIELDS) {
            throw error("more than " + MAX_FIELDS + " fields in one record");
        }
        fields.add(f);
    }

    private void append(int c) {
        if (field.length() >= MAX_FIELD_CHARS) {
            throw error("field " + (fields.size() + 1) + " is longer than " + MAX_FIELD_CHARS + " characters");
        }
        field.append((char) c);
    }

    private static String describe(int c) {
        return c < 32 || c == 127 ? String.format("control character U+%04X", c) : "character '" + (char) c + "'";
    }

    private int peek() {
        int c = read();
        pushback = c;
        return c;
    }

    private int read() {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        if (pos == len) {
            try {
                int n;
                do {
                    n = in.read(buf, 0, buf.length);
                } while (n == 0);
                if (n < 0) {
                    return -1;
                }
                len = n;
                pos = 0;
            } catch (CharacterCodingException e) {
                throw new DataException(file + ": line " + line + ": not valid UTF-8 text");
            } catch (IOException e) {
                throw new DataException(file + ": line " + line + ": cannot read: " + e.getMessage(), e);
            }
        }
        return buf[pos++];
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was written; a failed close of a read-only file loses nothing
        }
    }
}

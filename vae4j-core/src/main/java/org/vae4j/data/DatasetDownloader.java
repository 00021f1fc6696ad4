package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes sure a set of data files is present in a directory, downloading missing ones from mirrors
 * and verifying every file against its SHA-256.
 *
 * <p>Downloads go to a temporary file in the target directory and are moved into place
 * atomically only after the checksum matched, so a crash or a bad mirror never leaves a partial
 * or wrong file under the final name. Progress is reported through a {@link Listener}; nothing is
 * printed.
 */
public final class DatasetDownloader {

    private static final int CONNECT_TIMEOUT_MS = 20_000;
    /** Applies to every read, so a stalled transfer fails instead of hanging. */
    private static final int READ_TIMEOUT_MS = 60_000;
    private static final int MAX_REDIRECTS = 5;
    /** Guards against a misbehaving server streaming forever. */
    private static final long MAX_DOWNLOAD_BYTES = 4L << 30;
    private static final long PROGRESS_STEP = 256 << 10;

    private DatasetDownloader() {}

    /**
     * A file to fetch.
     *
     * @param fileName the plain file name in the target directory (no path separators)
     * @param urls http(s) URLs of mirrors serving the file, tried in order; at least one
     * @param sha256 the SHA-256 of the file's bytes as served, 64 hex digits (stored lower-case)
     */
    public record RemoteFile(String fileName, List<String> urls, String sha256) {

        /**
         * Validates the description.
         *
         * @param fileName the plain file name
         * @param urls the mirror URLs, tried in order
         * @param sha256 the expected SHA-256, hex
         * @throws IllegalArgumentException if the name is blank or contains a path separator, no
         *     URL is given, a URL is not http(s), or the hash is not 64 hex digits
         */
        public RemoteFile {
            if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")
                    || fileName.equals(".") || fileName.equals("..")) {
                throw new IllegalArgumentException("remote file name must be a plain file name: " + fileName);
            }
            if (urls == null || urls.isEmpty()) {
                throw new IllegalArgumentException(fileName + ": at least one URL is required");
            }
            urls = List.copyOf(urls);
            for (String u : urls) {
                String lower = u.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                    throw new IllegalArgumentException(fileName + ": not an http(s) URL: " + u);
                }
            }
            if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(fileName + ": SHA-256 must be 64 hex digits: " + sha256);
            }
            sha256 = sha256.toLowerCase(Locale.ROOT);
        }
    }

    /** Receives download progress; called on the downloading thread. */
    public interface Listener {

        /** A listener that ignores all events; every event is ignored by default, so implement only those wanted. */
        Listener NONE = new Listener() {};

        /**
         * A download of {@code file} from one mirror has started (may be called again for the next
         * mirror if this one fails).
         *
         * @param file the file name
         * @param totalBytes the size announced by the server, or -1 if unknown
         */
        default void started(String file, long totalBytes) {}

        /**
         * More bytes of {@code file} have arrived (reported every few hundred KiB and at the end).
         *
         * @param file the file name
         * @param bytesSoFar bytes received from the current mirror so far
         */
        default void progress(String file, long bytesSoFar) {}

        /**
         * {@code file} has been downloaded, verified and moved into place.
         *
         * @param file the file name
         */
        default void finished(String file) {}

        /**
         * A note worth showing to the user while data load, for example that an image cache was
         * built. Ignored by default.
         *
         * @param message one line
         */
        default void info(String message) {}

        /**
         * Something was wrong but loading went on, for example unreadable images skipped with
         * {@code skip-bad}. Ignored by default.
         *
         * @param message one line naming the files concerned
         */
        default void warning(String message) {}
    }

    /**
     * Ensures every file is present in {@code dir} with the right SHA-256, downloading the missing
     * ones unless {@code offline}.
     *
     * <p>Existing files are verified, never overwritten: a file with the wrong hash is an error
     * that asks the user to delete it. Missing files are fetched from their mirrors in order; a
     * mirror that fails (network error, HTTP error, wrong hash) is skipped in favour of the next.
     *
     * @param dir the directory that holds (or will hold) the files; created when downloading
     * @param files the files to ensure
     * @param listener progress receiver, or {@code null} for none
     * @param offline if {@code true}, never touch the network
     * @throws DataException if an existing file has the wrong hash, files are missing while
     *     offline (the message lists which files to place in which directory), or every mirror of
     *     a file failed
     */
    public static void ensure(Path dir, List<RemoteFile> files, Listener listener, boolean offline) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(files, "files");
        Listener l = listener == null ? Listener.NONE : listener;
        List<RemoteFile> missing = new ArrayList<>();
        for (RemoteFile f : files) {
            Path target = dir.resolve(f.fileName());
            if (Files.exists(target)) {
                String actual = sha256(target);
                if (!actual.equals(f.sha256())) {
                    throw new DataException(target + ": SHA-256 mismatch: expected " + f.sha256() + ", actual "
                            + actual + "; delete the file so that it is downloaded again, or replace it with the right one");
                }
            } else {
                missing.add(f);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (offline) {
            throw new DataException(dir + ": offline, so " + missing.size() + " missing data file(s) were not downloaded; "
                    + "place " + describe(missing) + " in " + dir.toAbsolutePath());
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create data directory: " + e, e);
        }
        for (RemoteFile f : missing) {
            download(dir, f, l);
        }
    }

    /**
     * Computes the SHA-256 of a file.
     *
     * @param file the file to hash
     * @return 64 lower-case hex digits
     * @throws DataException if the file cannot be read
     */
    public static String sha256(Path file) {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String describe(List<RemoteFile> files) {
        List<String> parts = new ArrayList<>();
        for (RemoteFile f : files) {
            parts.add(f.fileName() + " (from " + f.urls().get(0) + ", SHA-256 " + f.sha256() + ")");
        }
        return String.join(", ", parts);
    }

    private static void download(Path dir, RemoteFile f, Listener l) {
        Path target = dir.resolve(f.fileName());
        List<String> failures = new ArrayList<>();
        for (String url : f.urls()) {
            Path tmp = null;
            try {
                // dot-prefixed and in the same directory: hidden while partial, and the move can be atomic
                tmp = Files.createTempFile(dir, "." + f.fileName() + ".", ".part");
                String actual = fetch(url, tmp, f.fileName(), l);
                if (!actual.equals(f.sha256())) {
                    failures.add(url + ": SHA-256 mismatch: expected " + f.sha256() + ", actual " + actual);
                    continue;
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                l.finished(f.fileName());
                return;
            } catch (IOException | IllegalArgumentException e) {
                failures.add(url + ": " + describe(e));
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: a leftover hidden .part file is harmless
                    }
                }
            }
        }
        throw new DataException(target + ": download failed from every mirror (" + String.join("; ", failures)
                + "); place " + f.fileName() + " (SHA-256 " + f.sha256() + ") in " + dir.toAbsolutePath() + " by hand");
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** Streams one URL into {@code tmp}, following redirects, and returns the SHA-256 of what arrived. */
    private static String fetch(String url, Path tmp, String name, Listener l) throws IOException {
        HttpURLConnection c = open(url);
        try {
            long total = c.getContentLengthLong();
            l.started(name, total);
            MessageDigest md = newDigest();
            long n = 0;
            long reported = 0;
            try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    out.write(buf, 0, r);
                    md.update(buf, 0, r);
                    n += r;
                    if (n > MAX_DOWNLOAD_BYTES) {
                        throw new IOException("more than " + MAX_DOWNLOAD_BYTES + " bytes, giving up");
                    }
                    if (n - reported >= PROGRESS_STEP) {
                        l.progress(name, n);
                        reported = n;
                    }
                }
            }
            if (total >= 0 && n != total) {
                throw new IOException("connection closed after " + n + " of " + total + " bytes");
            }
            l.progress(name, n);
            return HexFormat.of().formatHex(md.digest());
        } finally {
            c.disconnect();
        }
    }

    /** Opens a connection with a 200 response, following up to a few redirects (also http to https). */
    private static HttpURLConnection open(String url) throws IOException {
        URI uri = URI.create(url);
        for (int hops = 0; ; hops++) {
            URL u = uri.toURL();
            HttpURLConnection c = (HttpURLConnection) u.openConnection();
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            // HttpURLConnection refuses to follow redirects that change protocol, so do it by hand
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "vae4j");
            int code = c.getResponseCode();
            if (code == HttpURLConnection.HTTP_OK) {
                return c;
            }
            String location = c.getHeaderField("Location");
            c.disconnect();
            boolean redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
            if (!redirect) {
                throw new IOException("HTTP " + code);
            }
            if (location == null) {
                throw new IOException("HTTP " + code + " redirect without a Location header");
            }
            if (hops >= MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects");
            }
            try {
                uri = uri.resolve(new URI(location));
            } catch (URISyntaxException e) {
                throw new IOException("bad redirect location " + location, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IOException("redirect to a non-http(s) URL " + uri);
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

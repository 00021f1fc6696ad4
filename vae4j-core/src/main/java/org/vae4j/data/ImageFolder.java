package org.vae4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.FileKinds;
import org.vae4j.util.Json;
import org.vae4j.util.Permutations;

/**
 * Loads a folder of images (see {@link ImagesDataSource}) through a uint8 cache file: the folder
 * is listed and sorted, the cache for this file list and these options is reused when it exists,
 * else every image is decoded (in parallel) and the pixels written once, atomically, with their
 * SHA-256 computed on the way.
 */
final class ImageFolder {

    /** Cache format version, part of the key. */
    static final int CACHE_VERSION = 2; // 2: damaged JPEGs (decoder warnings) are bad images, special files are not listed

    /** File name extensions read, lower case. */
    static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    /** Images decoded since start-up (tests check that a valid cache is reused without decoding). */
    static final AtomicLong DECODES = new AtomicLong();

    private static final int CHUNK = 64;

    /**
     * The options of an {@code images:DIR,...} spec.
     *
     * @param dir the folder
     * @param size output side length, 0 to keep the images' own (common) size
     * @param crop centre-crop to a square before resizing
     * @param channels 1 (grey) or 3 (RGB)
     * @param val held-out fraction in (0,1)
     * @param seed seed of the split
     * @param skipBad skip unreadable files instead of failing
     * @param cacheDir where cache files go, or {@code null} for the default
     */
    record Options(Path dir, int size, boolean crop, int channels, double val, long seed, boolean skipBad,
            Path cacheDir) {
        Options {
            if (dir == null) {
                throw new IllegalArgumentException("missing folder");
            }
            if (size < 0 || size > 4096) {
                throw new IllegalArgumentException("size must be in [1,4096] but is " + size);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3 but is " + channels);
            }
            if (!(val > 0 && val < 1)) {
                throw new IllegalArgumentException("val must be in (0,1) but is " + val);
            }
        }
    }

    /**
     * One listed image file.
     *
     * @param problem why the file cannot be read although it is listed (a symbolic link loop or to a missing file),
     *     or null
     */
    private record Entry(String rel, Path path, long bytes, long mtime, String problem) {}

    /** One decoded image or the reason it could not be. */
    private record Decoded(byte[] pixels, int width, int height, String reason) {}

    private ImageFolder() {}

    static DataSplits load(Options o, String name, LoadContext options) {
        Path dir = o.dir();
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
        List<String> special = new ArrayList<>();
        List<Entry> files = list(dir, special);
        if (!special.isEmpty()) {
            // FIFOs, devices and sockets are never opened (a FIFO would block forever, a device never end)
            StringBuilder sb = new StringBuilder("skipped " + special.size() + " file" + (special.size() == 1 ? "" : "s")
                    + " named like an image that " + (special.size() == 1 ? "is" : "are") + " not a regular file in " + dir + ": ");
            for (int i = 0; i < Math.min(5, special.size()); i++) {
                sb.append(i == 0 ? "" : "; ").append(special.get(i));
            }
            if (special.size() > 5) {
                sb.append("; ...");
            }
            options.listener().warning(sb.toString());
        }
        if (files.isEmpty()) {
            throw new DataException(dir + ": no PNG, JPEG, BMP or GIF images found (searched recursively)");
        }
        // labels from first-level folders: all images in folders, or none
        boolean nested = files.get(0).rel().contains("/");
        for (Entry e : files) {
            if (e.rel().contains("/") != nested) {
                Entry flat = e.rel().contains("/") ? files.get(0) : e;
                throw new DataException(dir.resolve(flat.rel()) + ": images lie both directly in " + dir
                        + " and in sub-folders; put every image in a label folder (labels) or none (no labels)");
            }
        }
        Path cacheDir = o.cacheDir() != null ? o.cacheDir() : defaultCacheDir();
        String dirKey = sha256(dir.toAbsolutePath().normalize().toString()).substring(0, 12);
        String key = cacheKey(o, files);
        Path bin = cacheDir.resolve("images-" + dirKey + "-" + key.substring(0, 20) + ".bin");
        Path metaFile = cacheDir.resolve(bin.getFileName().toString().replace(".bin", ".json"));
        ImageCache.Meta meta = readMeta(metaFile);
        if (meta == null || !ImageCache.valid(bin, meta)) {
            meta = build(o, files, cacheDir, dirKey, bin, metaFile, options.listener());
        }
        if (!meta.bad().isEmpty()) {
            if (!o.skipBad()) {
                ImageCache.Bad b = meta.bad().get(0);
                throw new DataException(dir.resolve(b.file()) + ": " + b.reason()
                        + " (use skip-bad / --skip-bad to leave unreadable images out)");
            }
            StringBuilder sb = new StringBuilder("skipped " + meta.bad().size() + " unreadable image"
                    + (meta.bad().size() == 1 ? "" : "s") + " in " + dir + ": ");
            for (int i = 0; i < Math.min(5, meta.bad().size()); i++) {
                ImageCache.Bad b = meta.bad().get(i);
                sb.append(i == 0 ? "" : "; ").append(b.file()).append(" (").append(b.reason()).append(')');
            }
            if (meta.bad().size() > 5) {
                sb.append("; ...");
            }
            options.listener().warning(sb.toString());
        }
        ImageCache cache = ImageCache.map(bin, meta);

        // records: the listed files minus the bad ones, in sorted order
        java.util.Set<String> bad = new java.util.HashSet<>();
        meta.bad().forEach(b -> bad.add(b.file()));
        List<String> ids = new ArrayList<>(meta.count());
        for (Entry e : files) {
            if (!bad.contains(e.rel())) {
                ids.add(e.rel());
            }
        }
        if (ids.size() != meta.count()) {
            throw new DataException(bin + ": image cache holds " + meta.count() + " images but the folder has "
                    + ids.size() + " readable ones; delete it to rebuild");
        }
        int n = ids.size();
        if (n < 2) {
            throw new DataException(dir + ": needs at least 2 readable images for a training and a test split, found " + n);
        }
        int[] labels = null;
        List<String> labelNames = List.of();
        if (nested) {
            TreeSet<String> names = new TreeSet<>();
            for (String id : ids) {
                names.add(id.substring(0, id.indexOf('/')));
            }
            labelNames = List.copyOf(names);
            Map<String, Integer> index = new HashMap<>();
            for (String l : labelNames) {
                index.put(l, index.size());
            }
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                String id = ids.get(i);
                labels[i] = index.get(id.substring(0, id.indexOf('/')));
            }
        }
        int[][] split = split(n, o.val(), o.seed());
        return new DataSplits(
                new MappedImageDataset(name, cache, split[0], labels, labelNames, ids),
                new MappedImageDataset(name, cache, split[1], labels, labelNames, ids));
    }

    /** Seeded split: a shuffled {@code round(n*val)} (at least 1, at most n-1) records are held out; both in file order. */
    static int[][] split(int n, double val, long seed) {
        int test = (int) Math.max(1, Math.min(n - 1, Math.round(n * val)));
        int[] p = Permutations.shuffled(n, seed);
        int[] te = Arrays.copyOf(p, test);
        int[] tr = Arrays.copyOfRange(p, test, n);
        Arrays.sort(te);
        Arrays.sort(tr);
        return new int[][] {tr, te};
    }

    static Path defaultCacheDir() {
        String root = System.getenv(LoadContext.DATA_ENV);
        if (root != null && !root.isBlank()) {
            return Path.of(root, "cache");
        }
        return Path.of(System.getProperty("user.home"), ".vae4j", "cache");
    }

    /**
     * Image files under {@code dir}, relative paths with '/' sorted; names starting with '.' are skipped, and so are
     * files that are not regular (FIFOs, devices, sockets, links to them), which are described in {@code special}.
     * Symbolic links to regular files are listed; loops and links to missing files are listed with their problem, so
     * they are reported as unreadable images.
     */
    private static List<Entry> list(Path dir, List<String> special) {
        TreeMap<String, Entry> sorted = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = dir.relativize(p);
                boolean hidden = false;
                for (Path part : rel) {
                    if (part.toString().startsWith(".")) {
                        hidden = true;
                    }
                }
                String fileName = p.getFileName().toString();
                int dot = fileName.lastIndexOf('.');
                String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (hidden || !EXTENSIONS.contains(ext)) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    continue; // a folder named like an image is walked into, not read
                }
                String r = rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
                if (!a.isRegularFile()) {
                    String what = FileKinds.notRegular(p);
                    if (what != null && (what.startsWith("a symbolic link") || what.startsWith("cannot be read"))) {
                        sorted.put(r, new Entry(r, p, 0, 0, what)); // unreadable: reported as a bad image
                        continue;
                    }
                    if (what != null) {
                        if (!what.startsWith("a directory")) {
                            special.add(r + " (" + what + ")");
                        }
                        continue;
                    }
                    // a symbolic link to a regular file: listed with its target's size and time
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                }
                sorted.put(r, new Entry(r, p, a.size(), a.lastModifiedTime().toMillis(), null));
            }
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new DataException(dir + ": cannot list: " + e.getCause().getMessage(), e);
        }
        return new ArrayList<>(sorted.values());
    }

    private static String cacheKey(Options o, List<Entry> files) {
        MessageDigest md = digest();
        String head = "v" + CACHE_VERSION + "|" + o.dir().toAbsolutePath().normalize() + "|size=" + o.size() + "|crop="
                + o.crop() + "|channels=" + o.channels() + "\n";
        md.update(head.getBytes(StandardCharsets.UTF_8));
        for (Entry e : files) {
            md.update((e.rel() + "|" + e.bytes() + "|" + e.mtime() + (e.problem() == null ? "" : "|" + e.problem()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static ImageCache.Meta readMeta(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return Json.readStrict(Files.readString(f, StandardCharsets.UTF_8), ImageCache.Meta.class, f.toString());
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or torn metadata: rebuild
        }
    }

    private static ImageCache.Meta build(Options o, List<Entry> files, Path cacheDir, String dirKey, Path bin,
            Path metaFile, DatasetDownloader.Listener listener) {
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new DataException(cacheDir + ": cannot create image cache directory: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        List<ImageCache.Bad> bad = new ArrayList<>();
        MessageDigest md = digest();
        int[] dims = new int[2]; // width, height of the first good image
        String[] first = new String[1];
        int[] count = new int[1];
        int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vae4j-image-decoder");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicFiles.write(bin, out -> {
                for (int start = 0; start < files.size(); start += CHUNK) {
                    List<Future<Decoded>> chunk = new ArrayList<>();
                    for (Entry e : files.subList(start, Math.min(files.size(), start + CHUNK))) {
                        chunk.add(pool.submit(() -> decode(e, o)));
                    }
                    for (int k = 0; k < chunk.size(); k++) {
                        Entry e = files.get(start + k);
                        Decoded d;
                        try {
                            d = chunk.get(k).get();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                            throw new DataException(e.path() + ": interrupted while decoding", ex);
                        } catch (ExecutionException ex) {
                            Throwable c = ex.getCause();
                            d = new Decoded(null, 0, 0, ("cannot decode: " + c).replaceAll("\\s+", " "));
                        }
                        if (d.reason() != null) {
                            if (!o.skipBad()) {
                                throw new DataException(e.path() + ": " + d.reason()
                                        + " (use skip-bad / --skip-bad to leave unreadable images out)");
                            }
                            bad.add(new ImageCache.Bad(e.rel(), d.reason()));
                            continue;
                        }
                        if (first[0] == null) {
                            first[0] = e.rel();
                            dims[0] = d.width();
                            dims[1] = d.height();
                        } else if (d.width() != dims[0] || d.height() != dims[1]) {
                            throw new DataException(e.path() + ": image is " + d.width() + "x" + d.height() + " but "
                                    + o.dir().resolve(first[0]) + " is " + dims[0] + "x" + dims[1]
                                    + "; give size=S (--image-size S) to resize them all");
                        }
                        md.update(d.pixels());
                        out.write(d.pixels());
                        count[0]++;
                    }
                }
                if (count[0] == 0) {
                    ImageCache.Bad b = bad.get(0);
                    throw new DataException(o.dir() + ": none of the " + files.size() + " image files could be read; first: "
                            + b.file() + " (" + b.reason() + ")");
                }
            });
        } catch (UncheckedIOException e) {
            throw new DataException(bin + ": cannot write image cache: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        String shape = o.channels() + "x" + dims[1] + "x" + dims[0];
        md.update(shape.getBytes(StandardCharsets.US_ASCII));
        ImageCache.Meta meta = new ImageCache.Meta(CACHE_VERSION, o.dir().toAbsolutePath().normalize().toString(),
                count[0], o.channels(), dims[1], dims[0], HexFormat.of().formatHex(md.digest()), bad);
        AtomicFiles.writeString(metaFile, Json.write(meta));
        removeStale(cacheDir, dirKey, bin);
        listener.info(String.format(Locale.ROOT, "image cache: decoded %d images (%s) in %.1f s into %s",
                files.size(), shape, (System.nanoTime() - t0) / 1e9, bin));
        return meta;
    }

    /** Deletes earlier caches of the same folder (their file list or options differ). */
    private static void removeStale(Path cacheDir, String dirKey, Path keep) {
        String prefix = "images-" + dirKey + "-";
        String keepStem = keep.getFileName().toString().replace(".bin", "");
        try (Stream<Path> s = Files.list(cacheDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (f.startsWith(prefix) && !f.startsWith(keepStem) && (f.endsWith(".bin") || f.endsWith(".json"))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a stale cache wastes space but is never read: its key differs
        }
    }

    private static Decoded decode(Entry e, Options o) {
        try {
            if (e.problem() != null) {
                return new Decoded(null, 0, 0, e.problem());
            }
            if (!Files.isReadable(e.path())) {
                return new Decoded(null, 0, 0, "cannot read: permission denied");
            }
            int[] dims = new int[2];
            byte[] px = ImageDecoder.decode(e.path(), o.size(), o.crop(), o.channels(), dims);
            DECODES.incrementAndGet();
            return new Decoded(px, dims[0], dims[1], null);
        } catch (ImageDecoder.BadImage b) {
            return new Decoded(null, 0, 0, b.getMessage());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String sha256(String s) {
        return HexFormat.of().formatHex(digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}

package org.vae4j.web;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vae4j.model.VaeModel;

/**
 * Load generator for {@code bench/serve-load}: {@code clients} threads, each with one keep-alive HTTP/1.1
 * connection, send {@code POST /api/decode} with random N(0, I) codes back to back for a fixed time and record every
 * latency. Plain sockets rather than {@link java.net.http.HttpClient}: the generator shares the machine with the
 * server, so it should cost as little CPU as possible. Loopback addresses only.
 *
 * <pre>
 * java -cp 'vae4j-cli/target/vae4j-cli.jar:vae4j-cli/target/lib/*' org.vae4j.web.LoadGenerator \
 *     --url http://127.0.0.1:7070 --clients 32 --seconds 30 [--warmup 3]
 * </pre>
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    /** What one run measured. */
    public record Result(int clients, double seconds, long requests, long errors, double perSecond, double p50, double p95,
            double p99, double max, double mean, long forwardPasses, long decoded) {
        /** One line for the benchmark log. */
        public String line() {
            return String.format(Locale.ROOT,
                    "clients=%d seconds=%.1f requests=%d errors=%d decodes/s=%.0f latency_ms p50=%.2f p95=%.2f p99=%.2f max=%.2f mean=%.2f"
                            + " forward_passes=%d mean_batch=%.1f",
                    clients, seconds, requests, errors, perSecond, p50, p95, p99, max, mean, forwardPasses,
                    forwardPasses == 0 ? 0.0 : (double) decoded / forwardPasses);
        }
    }

    /**
     * Entry point.
     *
     * @param args {@code --url U --clients N --seconds S [--warmup W]}
     */
    public static void main(String[] args) throws Exception {
        String url = null;
        int clients = 1;
        double seconds = 30;
        double warmup = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--url" -> url = v;
                case "--clients" -> clients = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                default -> {
                    System.err.println("usage: LoadGenerator --url http://127.0.0.1:PORT --clients N --seconds S [--warmup W]");
                    System.exit(2);
                }
            }
            i++;
        }
        if (url == null || clients < 1 || clients > 1024 || !(seconds > 0) || warmup < 0) {
            System.err.println("usage: LoadGenerator --url http://127.0.0.1:PORT --clients 1..1024 --seconds S>0 [--warmup W>=0]");
            System.exit(2);
        }
        Result r = run(URI.create(url), clients, seconds, warmup);
        System.out.println(r.line());
        System.exit(r.errors() == 0 ? 0 : 1);
    }

    /**
     * Runs the load: a warm-up (not measured), then {@code seconds} of measurement.
     *
     * @param base server address, loopback only
     * @param clients concurrent connections
     * @param seconds measured duration
     * @param warmup unmeasured duration before it
     * @return the measurements
     */
    public static Result run(URI base, int clients, double seconds, double warmup) throws Exception {
        String host = base.getHost();
        if (!WebServer.loopbackHost(host + ":" + base.getPort())) {
            throw new IllegalArgumentException("the load generator only talks to 127.0.0.1 or localhost, not " + host);
        }
        int port = base.getPort();
        String info = get(host, port, "/api/info");
        Matcher m = Pattern.compile("\"latent\":(\\d+)").matcher(info);
        if (!m.find()) {
            throw new IOException("no latent size in /api/info");
        }
        int latent = Integer.parseInt(m.group(1));
        byte[][] requests = new byte[256][];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < requests.length; i++) {
            StringBuilder b = new StringBuilder("{\"z\":[");
            for (int j = 0; j < latent; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", VaeModel.Gaussian.next(rnd)));
            }
            byte[] body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/decode HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            requests[i] = all;
        }
        long[] statsBefore = stats(host, port);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        long[] passesAtStart = new long[2];
        for (int c = 0; c < clients; c++) {
            int id = c;
            long[][] box = new long[1][];
            box[0] = new long[1 << 16];
            latencies.add(null);
            Thread t = new Thread(() -> {
                long[] lat = box[0];
                int n = 0;
                int k = id * 7;
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(host, port), 5000);
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        out.write(requests[k++ & 255]);
                        out.flush();
                        int status = readResponse(in);
                        long t1 = System.nanoTime();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        if (t0 >= measureFrom) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, lat.length * 2);
                            }
                            lat[n++] = t1 - t0;
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    System.err.println("client " + id + ": " + e);
                } finally {
                    synchronized (latencies) {
                        latencies.set(id, lat);
                        counts[id] = n;
                    }
                    done.countDown();
                }
            }, "load-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        // forward passes during the measured window only
        long wait = measureFrom - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        long[] statsStart = stats(host, port);
        passesAtStart[0] = statsStart[0];
        passesAtStart[1] = statsStart[1];
        done.await();
        long[] statsEnd = stats(host, port);
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int off = 0;
        synchronized (latencies) {
            for (int c = 0; c < clients; c++) {
                System.arraycopy(latencies.get(c), 0, all, off, counts[c]);
                off += counts[c];
            }
        }
        Arrays.sort(all);
        double sum = 0;
        for (long v : all) {
            sum += v;
        }
        double ms = 1e-6;
        return new Result(clients, seconds, total, errors.get(), total / seconds,
                pct(all, 0.50) * ms, pct(all, 0.95) * ms, pct(all, 0.99) * ms, total == 0 ? 0 : all[total - 1] * ms,
                total == 0 ? 0 : sum / total * ms, statsEnd[0] - passesAtStart[0], statsEnd[1] - passesAtStart[1]);
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns the status. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || statusLine.length() < 12) {
            throw new IOException("connection closed by the server");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
        }
        if (chunked) {
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.trim().split(";")[0], 16);
                skip(in, n);
                line(in);
                if (n == 0) {
                    break;
                }
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                k = 1;
            }
            n -= k;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static String get(String host, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            int i = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 200")) {
                throw new IOException(path + ": " + text.substring(0, Math.min(200, text.length())));
            }
            return text.substring(i + 4);
        }
    }

    /** {forwardPasses, decodedCodes} from /api/stats. */
    private static long[] stats(String host, int port) throws IOException {
        String s = get(host, port, "/api/stats");
        return new long[] {field(s, "forwardPasses"), field(s, "decodedCodes")};
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}

package org.vae4j.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.spark.BarrierTaskContext;

/**
 * The workers of a barrier stage as one group: every call is a collective that all of them make in the same order, and
 * every worker gets bit-identical results (a mean is summed over the workers in rank order, in double precision).
 *
 * <p>Two transports. Spark's {@link BarrierTaskContext#allGather} routes every message as text through the driver and,
 * in Spark 4.2, waits in steps of one second for the answer (its loop sleeps 1 s between checks for a killed task), so
 * each collective costs about a second whatever its size. The group therefore first tries <em>direct links</em>: the
 * first worker listens on a port of its executor, the others connect to it (its address, port and a random token
 * travel once through Spark), and each collective is then a gather to the first worker and a broadcast back, as raw
 * floats over TCP. If any worker cannot connect (a firewall between executors), all of them keep Spark's transport;
 * {@code -Dvae4j.spark.links=spark} on the executors chooses it from the start. The bytes and seconds spent are counted
 * for the report.
 */
final class BarrierGroup implements AutoCloseable {
    /** System property: {@code spark} to use Spark's allGather for every collective instead of direct links. */
    static final String LINKS_PROPERTY = "vae4j.spark.links";
    /** How long a worker tries to reach the first worker, and the first worker waits for all to connect. */
    static final int CONNECT_MILLIS = 15_000;
    /** Reads wake up this often to see whether Spark has killed the task. */
    private static final int POLL_MILLIS = 1_000;

    /** What the group needs from its barrier stage; Spark's task context, or a stand-in in tests. */
    interface Stage {
        /** Spark's allGather: every worker's message, by rank. */
        String[] allGather(String message);

        /** Spark's barrier. */
        void barrier();

        /** Throws if the task has been killed (another worker failed); called while waiting on a link. */
        void checkAlive();

        /** This worker's executor host, as the others can reach it. */
        String host();
    }

    private final Stage stage;
    private final int rank;
    private final int size;
    private final int connectMillis;
    private long calls;
    private long bytes;
    private long nanos;
    /** Direct links: on the first worker one per other worker (index rank − 1); on the others one, to the first. */
    private Socket[] links;
    private InputStream[] ins;
    private DataOutputStream[] outs;
    private String transport;

    BarrierGroup(BarrierTaskContext context) {
        this(sparkStage(context), context.partitionId(), context.getTaskInfos().length,
                "spark".equals(System.getProperty(LINKS_PROPERTY)) ? 0 : CONNECT_MILLIS);
    }

    /**
     * @param connectMillis how long to try direct links (0: Spark's transport only)
     */
    BarrierGroup(Stage stage, int rank, int size, int connectMillis) {
        this.stage = stage;
        this.rank = rank;
        this.size = size;
        this.connectMillis = connectMillis;
        this.transport = size == 1 ? "one worker, no collectives" : "Spark allGather";
        if (connectMillis > 0 && size > 1) {
            connect();
        }
    }

    private static Stage sparkStage(BarrierTaskContext context) {
        return new Stage() {
            @Override
            public String[] allGather(String message) {
                return context.allGather(message);
            }

            @Override
            public void barrier() {
                context.barrier();
            }

            @Override
            public void checkAlive() {
                context.killTaskIfInterrupted();
            }

            @Override
            public String host() {
                // the executor's address as Spark's scheduler knows it ("host" or "host:port")
                String a = context.getTaskInfos()[context.partitionId()].address();
                int colon = a.lastIndexOf(':');
                return colon > 0 && a.indexOf(':') == colon ? a.substring(0, colon) : a;
            }
        };
    }

    int rank() {
        return rank;
    }

    int size() {
        return size;
    }

    // ------------------------------------------------------------------------------------------------------------
    // setting up the direct links (two collectives through Spark)

    private void connect() {
        long t0 = System.nanoTime();
        String failure = null;
        ServerSocket server = null;
        String token = null;
        if (rank == 0) {
            // only those who were told it may join: the token travels through Spark's own (driver-routed) channel
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            token = HexFormat.of().formatHex(secret);
            try {
                server = new ServerSocket();
                server.bind(new InetSocketAddress(0), size);
            } catch (IOException e) {
                failure = "worker 0 could not listen on a port: " + e.getMessage();
            }
        }
        String mine = rank == 0 && failure == null ? stage.host() + " " + server.getLocalPort() + " " + token : "-";
        String[] first = stage.allGather(mine)[0].split(" ");
        calls++;
        if (first.length != 3) {
            failure = failure != null ? failure : "worker 0 could not listen on a port";
        } else {
            try {
                if (rank == 0) {
                    accept(server, token);
                } else {
                    dial(first[0], Integer.parseInt(first[1]), first[2]);
                }
            } catch (IOException | RuntimeException e) {
                failure = "worker " + rank + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            }
        }
        if (server != null) {
            try {
                server.close(); // the accepted links stay open
            } catch (IOException e) {
                // nothing to do
            }
        }
        // all must agree: one failure anywhere and every worker keeps Spark's transport
        String firstFailure = null;
        for (String v : stage.allGather(failure == null ? "ok" : failure)) {
            if (!"ok".equals(v) && firstFailure == null) {
                firstFailure = v;
            }
        }
        calls++;
        if (firstFailure == null) {
            transport = "direct links to worker 0 at " + first[0] + ":" + first[1];
        } else {
            closeLinks();
            transport = "Spark allGather (direct links failed: " + firstFailure + ")";
        }
        nanos += System.nanoTime() - t0;
    }

    private void accept(ServerSocket server, String token) throws IOException {
        links = new Socket[size - 1];
        ins = new InputStream[size - 1];
        outs = new DataOutputStream[size - 1];
        long deadline = System.currentTimeMillis() + connectMillis;
        int connected = 0;
        while (connected < size - 1) {
            int left = (int) (deadline - System.currentTimeMillis());
            if (left <= 0) {
                throw new IOException("only " + connected + " of " + (size - 1) + " workers connected within " + connectMillis + " ms");
            }
            server.setSoTimeout(left);
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            s.setSoTimeout(left);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            String got;
            int r;
            try {
                DataInputStream hello = new DataInputStream(in);
                got = hello.readUTF();
                r = hello.readInt();
            } catch (IOException e) {
                s.close(); // not one of ours
                continue;
            }
            if (!token.equals(got) || r < 1 || r >= size || links[r - 1] != null) {
                s.close();
                continue;
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(POLL_MILLIS);
            links[r - 1] = s;
            ins[r - 1] = in;
            outs[r - 1] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            connected++;
        }
    }

    private void dial(String host, int port, String token) throws IOException {
        Socket s = new Socket();
        links = new Socket[] {s};
        s.connect(new InetSocketAddress(host, port), connectMillis);
        s.setTcpNoDelay(true);
        s.setSoTimeout(POLL_MILLIS);
        ins = new InputStream[] {new BufferedInputStream(s.getInputStream(), 1 << 16)};
        outs = new DataOutputStream[] {new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16))};
        outs[0].writeUTF(token);
        outs[0].writeInt(rank);
        outs[0].flush();
    }

    // ------------------------------------------------------------------------------------------------------------
    // collectives

    /**
     * The element-wise mean of every worker's {@code local} (all of the same length). Over direct links the first
     * worker computes it and sends it back: the same sums in the same order as every worker computing it itself.
     */
    float[] average(float[] local) {
        if (size == 1) {
            return collective(() -> mean(new float[][] {local}, local.length)); // alone: nothing to send
        }
        if (links == null) {
            return collective(() -> mean(viaSpark(local), local.length));
        }
        return collective(() -> {
            if (rank != 0) {
                send(outs[0], littleEndian(local));
                return read(ins[0]);
            }
            float[][] all = new float[size][];
            all[0] = local;
            for (int r = 1; r < size; r++) {
                all[r] = read(ins[r - 1]);
            }
            float[] out = mean(all, local.length);
            byte[] payload = littleEndian(out);
            for (DataOutputStream o : outs) {
                send(o, payload);
            }
            return out;
        });
    }

    private float[] mean(float[][] all, int length) {
        double[] sum = new double[length];
        for (float[] v : all) {
            if (v.length != length) {
                throw new VaeSparkException("data-parallel workers disagree on the message length (" + v.length + " vs " + length + ")");
            }
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        float[] out = new float[length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / size);
        }
        return out;
    }

    /** The first worker's {@code values} on every worker (the others' arguments are ignored and not sent). */
    float[] fromFirst(float[] values) {
        if (size == 1) {
            return values;
        }
        if (links == null) {
            return collective(() -> viaSpark(rank == 0 ? values : new float[0])[0]);
        }
        return collective(() -> {
            if (rank != 0) {
                return read(ins[0]);
            }
            byte[] payload = littleEndian(values);
            for (DataOutputStream o : outs) {
                send(o, payload);
            }
            return values;
        });
    }

    /** Waits until every worker gets here. */
    void barrier() {
        if (size == 1) {
            return;
        }
        if (links == null) {
            collective(() -> {
                stage.barrier();
                return null;
            });
        } else {
            average(new float[0]); // everyone's empty message in, the empty mean out
        }
    }

    /** One collective's exchange. */
    @FunctionalInterface
    private interface Exchange {
        float[] run() throws IOException;
    }

    /** Runs a collective, counting it and its time; a broken link is an error naming this worker. */
    private float[] collective(Exchange exchange) {
        long t0 = System.nanoTime();
        try {
            return exchange.run();
        } catch (IOException e) {
            throw linkFailure(e);
        } finally {
            nanos += System.nanoTime() - t0;
            calls++;
        }
    }

    /** Every worker's {@code values}, by rank, through Spark's allGather. */
    private float[][] viaSpark(float[] values) {
        String[] msgs = stage.allGather(encode(values));
        float[][] all = new float[msgs.length][];
        for (int i = 0; i < msgs.length; i++) {
            all[i] = decode(msgs[i]);
            bytes += msgs[i].length();
        }
        return all;
    }

    private RuntimeException linkFailure(IOException e) {
        closeLinks();
        return new VaeSparkException("worker " + rank + ": the link between workers failed (" + (e instanceof EOFException
                ? "another worker stopped" : e.getMessage()) + ")", e);
    }

    /** One message on a link: its number of floats, then the floats ({@link #littleEndian}). */
    private static void send(DataOutputStream o, byte[] payload) throws IOException {
        o.writeInt(payload.length / 4);
        o.write(payload);
        o.flush();
    }

    private float[] read(InputStream in) throws IOException {
        byte[] head = new byte[4];
        readFully(in, head);
        int n = ByteBuffer.wrap(head).getInt();
        if (n < 0 || n > (1 << 28)) {
            throw new IOException("a message of " + n + " values");
        }
        byte[] b = new byte[n * 4];
        readFully(in, b);
        bytes += 4L + b.length;
        return floats(b);
    }

    // a read wakes every POLL_MILLIS to see whether Spark killed the task (another worker failed), and otherwise keeps
    // waiting: the first worker may be busy for long (the test split, a checkpoint) while the others wait for a step
    private void readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n;
            try {
                n = in.read(b, off, b.length - off);
            } catch (SocketTimeoutException e) {
                stage.checkAlive();
                continue;
            }
            if (n < 0) {
                throw new EOFException();
            }
            off += n;
        }
    }

    /** Collectives made, bytes received, seconds spent in them (including waiting for the slowest worker), transport. */
    String stats() {
        return String.format(java.util.Locale.ROOT, "%d collectives, %.1f MB received, %.1f s in them; %s", calls, bytes / 1e6, nanos / 1e9,
                transport);
    }

    double seconds() {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        closeLinks();
    }

    private void closeLinks() {
        if (links != null) {
            for (Socket s : links) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing: nothing to do
                    }
                }
            }
        }
        links = null;
        ins = null;
        outs = null;
    }

    /** The floats as little-endian bytes: the form messages take on a link and, in base64, through Spark. */
    static byte[] littleEndian(float[] v) {
        byte[] b = new byte[v.length * 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        return b;
    }

    static float[] floats(byte[] b) {
        float[] v = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    static String encode(float[] v) {
        return Base64.getEncoder().encodeToString(littleEndian(v));
    }

    static float[] decode(String s) {
        return floats(Base64.getDecoder().decode(s));
    }
}

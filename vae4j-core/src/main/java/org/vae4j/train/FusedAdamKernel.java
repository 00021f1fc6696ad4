package org.vae4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's fused multi-tensor Adam kernel ({@code torch._fused_adam_}, one pass over weights, gradients and moments,
 * parallel over chunks) reached from Java. DJL exposes no generic operator call, so the kernel is wrapped in a
 * one-function TorchScript module whose archive is assembled here from its source ({@code fused_adam.py}); DJL's own
 * Adam update runs about a dozen separate passes with temporaries, which cost a quarter of an MLP training step.
 *
 * <p>The update is PyTorch's: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − lr·m̂/(√v̂ + ε) with bias-corrected m̂,
 * v̂; the gradients are zeroed afterwards.
 */
final class FusedAdamKernel {
    /** Set to {@code false} to use DJL's update instead (for comparisons). */
    static final String PROPERTY = "vae4j.adam.fused";

    private static final PtSymbolBlock MODULE = load();

    private FusedAdamKernel() {}

    /** Whether the kernel loaded (and is not switched off with {@value #PROPERTY}). */
    static boolean available() {
        return MODULE != null && !"false".equals(System.getProperty(PROPERTY));
    }

    /**
     * One Adam update of every tensor in the lists, in place.
     *
     * @param steps one float scalar tensor, repeated once per parameter, holding the number of updates so far; the
     *     module adds one to it before the update
     * @param hyper the learning rate, β₁, β₂ and ε as float IValues (built once by the caller)
     */
    // synchronized: the one TorchScript module is shared by the process, and two threads in its forward at once crash
    // the JVM (seen with two data-parallel Spark workers in one executor)
    static synchronized void step(IValue params, List<PtNDArray> grads, IValue expAvgs, IValue expAvgSqs, IValue steps, List<IValue> hyper) {
        try (IValue g = IValue.listFrom(grads.toArray(new PtNDArray[0]));
                IValue out = MODULE.forward(params, g, expAvgs, expAvgSqs, steps, hyper.get(0), hyper.get(1), hyper.get(2),
                        hyper.get(3))) {
            // the result (the step tensor) is only there because a module method must return a value
        }
    }

    private static PtSymbolBlock load() {
        try {
            // a manager of its own that lives as long as the class: the module is loaded once per process
            PtNDManager owner = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
            try (InputStream in = new ByteArrayInputStream(archive())) {
                PtSymbolBlock module = JniUtils.loadModule(owner, in, true, false);
                // in training mode DJL runs it without its inference guard (which prints a deprecation warning);
                // the module switches gradient recording off itself, as in-place updates of leaves require
                JniUtils.enableTrainingMode(module);
                return module;
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return null; // AdamOptimizer then uses DJL's update
        }
    }

    /** A TorchScript archive: the module's source, its pickled instance (no parameters) and the format version. */
    private static byte[] archive() throws IOException {
        byte[] source;
        try (InputStream in = FusedAdamKernel.class.getResourceAsStream("fused_adam.py")) {
            if (in == null) {
                throw new IOException("resource fused_adam.py missing");
            }
            source = in.readAllBytes();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, "archive/data.pkl", moduleInstancePickle());
            store(zip, "archive/code/__torch__.py", source);
            store(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            store(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of {@code __torch__.FusedAdam} with its one attribute {@code training = True}. */
    private static byte[] moduleInstancePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2); // PROTO 2
        p.writeBytes("c__torch__\nFusedAdam\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void store(ZipOutputStream zip, String name, byte[] data) {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        try {
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

package org.vae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes (possibly deliberately broken) IDX files for tests. */
final class IdxWriter {

    private IdxWriter() {}

    /** Header and payload of an unsigned-byte IDX file with the given magic and dimensions. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length); // big-endian by default
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] images(int n, int rows, int cols, byte[] pixels) {
        return idx(IdxReader.IMAGES_MAGIC, new int[] {n, rows, cols}, pixels);
    }

    static byte[] labels(byte[] labels) {
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels);
    }

    /** Deterministic pseudo-random pixels covering the whole byte range. */
    static byte[] pixels(int count, int salt) {
        byte[] p = new byte[count];
        for (int i = 0; i < count; i++) {
            p[i] = (byte) ((i * 37 + salt * 101 + (i >> 3)) & 0xff);
        }
        p[0] = 0;
        if (count > 1) {
            p[count - 1] = (byte) 255;
        }
        return p;
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an MNIST-like directory with {@code nTrain}/{@code nTest} images; gzip every other file. */
    static void writeDataset(Path dir, int nTrain, int nTest, int rows, int cols, int classes) {
        byte[] trainLabels = new byte[nTrain];
        for (int i = 0; i < nTrain; i++) {
            trainLabels[i] = (byte) (i % classes);
        }
        byte[] testLabels = new byte[nTest];
        for (int i = 0; i < nTest; i++) {
            testLabels[i] = (byte) ((i + 1) % classes);
        }
        write(dir.resolve(IdxDataset.TRAIN_IMAGES + ".gz"), gzip(images(nTrain, rows, cols, pixels(nTrain * rows * cols, 1))));
        write(dir.resolve(IdxDataset.TRAIN_LABELS), labels(trainLabels));
        write(dir.resolve(IdxDataset.TEST_IMAGES), images(nTest, rows, cols, pixels(nTest * rows * cols, 2)));
        write(dir.resolve(IdxDataset.TEST_LABELS + ".gz"), gzip(labels(testLabels)));
    }
}

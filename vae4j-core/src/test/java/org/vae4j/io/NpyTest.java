package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @Test
    void headerBytesAreExactlyNumpysFormat() {
        byte[] h = Npy.float32Header(3, 4);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        // 8 magic/version bytes + 2 length bytes + dict (59) + '\n' = 70, padded with spaces to 128 bytes; the same
        // bytes as numpy 2.4's np.save(np.zeros((3, 4), np.float32)), header length 118 (0x76)
        assertThat(h).hasSize(128);
        assertThat(Arrays.copyOf(h, 10)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0);
        String text = new String(h, 10, 118, StandardCharsets.US_ASCII);
        assertThat(text).isEqualTo(dict + " ".repeat(118 - dict.length() - 1) + "\n");
        // a longer shape still pads to a multiple of 64
        assertThat(Npy.float32Header(123_456_789L, 40).length % 64).isZero();
    }

    @Test
    void floatsAreLittleEndian() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeFloats(out, new float[] {9f, 1.5f, -2f}, 1, 2);
        // 1.5f = 0x3FC00000, -2f = 0xC0000000
        assertThat(out.toByteArray()).containsExactly(0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0);
    }

    @Test
    void numpyLoadsWhatWeWrite(@TempDir Path tmp) throws Exception {
        assumeTrue(python("import numpy") == 0, "python3 with numpy not installed");
        Path f = tmp.resolve("a.npy");
        float[] v = {0f, 1.25f, -3.5f, 1e-7f, 42f, 7f};
        AtomicFiles.write(f, os -> {
            os.write(Npy.float32Header(2, 3));
            Npy.writeFloats(os, v, 0, 6);
        });
        assertThat(python("import numpy as np\na = np.load('" + f + "')\n"
                + "assert a.dtype == np.float32 and a.shape == (2, 3), (a.dtype, a.shape)\n"
                + "assert (a == np.array([[0, 1.25, -3.5], [1e-7, 42, 7]], dtype=np.float32)).all(), a\n")).isZero();
    }

    @Test
    void anyShapeHasNumpysHeaderAndReadsBack(@TempDir Path tmp) throws Exception {
        String dict4 = new String(Npy.float32Header(2, 1, 3, 3), 10, 118, StandardCharsets.US_ASCII);
        assertThat(dict4).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 3, 3), }").endsWith(" \n");
        // one dimension is a one-element tuple
        assertThat(new String(Npy.float32Header(5), 10, 118, StandardCharsets.US_ASCII)).startsWith("{'descr': '<f4', "
                + "'fortran_order': False, 'shape': (5,), }");
        assertThat(Npy.float32Header(3, 4)).containsExactly(Npy.float32Header(new long[] {3, 4}));
        Path f = tmp.resolve("b.npy");
        float[] v = new float[18];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f - 3;
        }
        AtomicFiles.write(f, os -> {
            os.write(Npy.float32Header(2, 1, 3, 3));
            Npy.writeFloats(os, v, 0, 18);
        });
        Npy.Array a = Npy.read(f);
        assertThat(a.shape()).containsExactly(2, 1, 3, 3);
        assertThat(a.values()).containsExactly(v);
        // in pieces
        try (Npy.Reader r = Npy.open(f)) {
            assertThat(r.count()).isEqualTo(18);
            float[] part = new float[18];
            r.read(part, 0, 5);
            r.read(part, 5, 13);
            assertThat(part).containsExactly(v);
            assertThat(r.remaining()).isZero();
            assertThatThrownBy(() -> r.read(part, 0, 1)).hasMessageContaining("asked for 1 values, 0 remain");
        }
        if (python("import numpy") == 0) {
            assertThat(python("import numpy as np\na = np.load('" + f + "')\n"
                    + "assert a.dtype == np.float32 and a.shape == (2, 1, 3, 3), a.shape\n"
                    + "assert a[1, 0, 2, 2] == 5.5 and a[0, 0, 0, 0] == -3, a\n"
                    + "np.save('" + tmp.resolve("c.npy") + "', np.arange(6, dtype=np.float32).reshape(3, 2))\n")).isZero();
            Npy.Array c = Npy.read(tmp.resolve("c.npy"));
            assertThat(c.shape()).containsExactly(3, 2);
            assertThat(c.values()).containsExactly(0, 1, 2, 3, 4, 5);
        }
    }

    @Test
    void badFilesAreRefusedNamingTheProblem(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("x.npy");
        Files.write(f, "not numpy at all".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Npy.read(f)).isInstanceOf(ModelFormatException.class).hasMessageContaining(f + ": not an .npy file");
        // another dtype
        Files.write(f, header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", new byte[16]));
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("dtype '<f8' is not supported");
        Files.write(f, header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("Fortran-order");
        // fewer data bytes than the shape needs (nothing is allocated for the claimed size)
        Files.write(f, header("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000), }", new byte[12]));
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("the file has 12 data bytes");
        Files.write(f, header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", new byte[4]));
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("is too large");
        Files.write(f, header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", new byte[8]));
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("malformed shape (2, x)");
        Files.write(f, Arrays.copyOf(Npy.float32Header(2, 2), 20));
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("truncated in the header");
    }

    /** A version-1.0 file with the given header dict and data bytes. */
    static byte[] header(String dict, byte[] data) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + text.length + data.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, 0};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(text, 0, out, 10, text.length);
        System.arraycopy(data, 0, out, 10 + text.length, data.length);
        return out;
    }

    static int python(String code) throws Exception {
        try {
            Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}

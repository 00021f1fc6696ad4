package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
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

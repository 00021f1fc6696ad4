package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.SafeTensors.Contents;
import org.vae4j.io.SafeTensors.DType;
import org.vae4j.io.SafeTensors.Tensor;

/**
 * Cross-checks against the reference implementation, Python's {@code safetensors} package. Skipped
 * when {@code python3} with {@code safetensors} and {@code numpy} is not installed; the byte-exact
 * example in {@link SafeTensorsTest} covers the format on machines without it.
 */
class SafeTensorsPythonInteropTest {

  @TempDir Path dir;

  private static boolean pythonAvailable;

  @BeforeAll
  static void probePython() {
    try {
      pythonAvailable = run(List.of("python3", "-c", "import safetensors, numpy")).exitCode == 0;
    } catch (IOException e) {
      pythonAvailable = false;
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws IOException {
    // Output goes to a file so that a chatty process can never block on a full pipe.
    Path log = Files.createTempFile("vae4j-python", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished;
      try {
        finished = p.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      }
      if (!finished) {
        p.destroyForcibly();
        return new Result(-1, "python3 did not finish");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void pythonReadsWhatWeWrite() throws IOException {
    assumeTrue(pythonAvailable, "python3 with safetensors and numpy not installed");
    // numpy has no bfloat16 or float8, so those dtypes are left out here.
    List<DType> dtypes =
        List.of(DType.F32, DType.F64, DType.I64, DType.I32, DType.U8, DType.I8, DType.I16,
            DType.U16, DType.U32, DType.U64, DType.F16, DType.BOOL);
    List<Tensor> tensors = new ArrayList<>();
    for (DType t : dtypes) {
      byte[] data = new byte[6 * t.byteSize()];
      for (int i = 0; i < data.length; i++) {
        data[i] = t == DType.BOOL ? (byte) (i % 2) : (byte) (i * 31 + 7);
      }
      tensors.add(new Tensor("layer.\"" + t + "\".ü", t, new long[] {3, 2}, ByteBuffer.wrap(data)));
    }
    tensors.add(Tensor.ofFloats("scalar", new long[] {}, new float[] {1.5f}));
    tensors.add(Tensor.ofFloats("empty", new long[] {0, 4}, new float[0]));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put("note\n", "ünïcödé \"quoted\" \\ ✓");
    Path f = dir.resolve("java.safetensors");
    SafeTensors.write(f, tensors, meta);

    String script =
        String.join(
            "\n",
            "import sys, json",
            "from safetensors import safe_open",
            "out = {}",
            "with safe_open(sys.argv[1], framework='np') as f:",
            "    out['__metadata__'] = f.metadata()",
            "    for k in f.keys():",
            "        a = f.get_tensor(k)",
            "        out[k] = [list(a.shape), a.tobytes().hex()]",
            "print(json.dumps(out, sort_keys=True))");
    Result r = run(List.of("python3", "-c", script, f.toString()));
    assertThat(r.exitCode).as(r.output).isZero();

    Map<String, Object> summary = new TreeMap<>();
    summary.put("__metadata__", meta);
    for (Tensor t : tensors) {
      byte[] bytes = new byte[(int) t.byteSize()];
      t.data().get(bytes);
      summary.put(t.name(), List.of(t.shape(), HexFormat.of().formatHex(bytes)));
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode actual = json.readTree(r.output.trim());
    // through text, so that both trees hold the same node types (an int parsed, not a long written)
    assertThat(actual).isEqualTo(json.readTree(json.writeValueAsString(summary)));
  }

  /** Our header nesting limit is the reference's: both read a header nested 127 deep and refuse 128. */
  @Test
  void weAndPythonAgreeOnHowDeepAHeaderMayNest() throws IOException {
    assumeTrue(pythonAvailable, "python3 with safetensors and numpy not installed");
    String script =
        String.join(
            "\n",
            "import sys",
            "from safetensors.numpy import load_file",
            "for f in sys.argv[1:]:",
            "    try:",
            "        load_file(f)",
            "        print('read')",
            "    except Exception:",
            "        print('refused')");
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    List<String> ours = new ArrayList<>();
    for (int depth : new int[] {SafeTensors.MAX_HEADER_NESTING, SafeTensors.MAX_HEADER_NESTING + 1}) {
      int arrays = depth - 2; // inside the header object and the tensor's entry
      String header =
          "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":"
              + "[".repeat(arrays) + "]".repeat(arrays) + "}}";
      byte[] h = header.getBytes(StandardCharsets.UTF_8);
      byte[] bytes =
          ByteBuffer.allocate(8 + h.length + 1)
              .order(java.nio.ByteOrder.LITTLE_ENDIAN)
              .putLong(h.length)
              .put(h)
              .array();
      Path f = dir.resolve("depth-" + depth + ".safetensors");
      Files.write(f, bytes);
      command.add(f.toString());
      try {
        SafeTensors.read(f);
        ours.add("read");
      } catch (ModelFormatException e) {
        ours.add("refused");
      }
    }
    Result r = run(command);
    assertThat(r.exitCode).as(r.output).isZero();
    assertThat(r.output.trim().lines().toList()).isEqualTo(List.of("read", "refused")).isEqualTo(ours);
  }

  @Test
  void weReadWhatPythonWrites() throws IOException {
    assumeTrue(pythonAvailable, "python3 with safetensors and numpy not installed");
    Path f = dir.resolve("python.safetensors");
    String script =
        String.join(
            "\n",
            "import sys, numpy as np",
            "from safetensors.numpy import save_file",
            "save_file({",
            "  'z.weight': np.arange(12, dtype=np.float32).reshape(3, 4) / 8,",
            "  'a.bias': np.array([-1.25, 2.5], dtype=np.float64),",
            "  'steps': np.array(42, dtype=np.int64),",
            "  'mask': np.array([True, False, True]),",
            "  'bytes': np.array([[0, 255]], dtype=np.uint8),",
            "}, sys.argv[1], metadata={'format': 'np', 'epochs': '3'})");
    Result r = run(List.of("python3", "-c", script, f.toString()));
    assertThat(r.exitCode).as(r.output).isZero();

    Contents c = SafeTensors.read(f);
    assertThat(c.metadata()).containsOnly(Map.entry("format", "np"), Map.entry("epochs", "3"));
    Tensor w = c.tensors().get("z.weight");
    assertThat(w.dtype()).isEqualTo(DType.F32);
    assertThat(w.shape()).containsExactly(3, 4);
    float[] expected = new float[12];
    for (int i = 0; i < 12; i++) {
      expected[i] = i / 8f;
    }
    assertThat(w.toFloatArray()).containsExactly(expected);
    assertThat(c.tensors().get("a.bias").toDoubleArray()).containsExactly(-1.25, 2.5);
    assertThat(c.tensors().get("steps").shape()).isEmpty();
    assertThat(c.tensors().get("steps").toLongArray()).containsExactly(42);
    assertThat(c.tensors().get("mask").dtype()).isEqualTo(DType.BOOL);
    assertThat(c.tensors().get("bytes").toLongArray()).containsExactly(0, 255);
    // Python orders tensors by dtype then name, so compare a rewrite semantically, not bytewise.
    Contents again = SafeTensors.read(SafeTensors.toBytes(c.tensors().values(), c.metadata()), "x");
    assertThat(again).isEqualTo(c);
  }
}

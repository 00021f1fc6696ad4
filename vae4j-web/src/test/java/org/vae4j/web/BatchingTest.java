package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.vae4j.model.VaeModel;

/** Concurrent decode requests share forward passes, and each gets its own rows back. */
class BatchingTest {
    static float[] randomCode(SplittableRandom r, int l) {
        float[] z = new float[l];
        for (int j = 0; j < l; j++) {
            z[j] = (float) (2 * VaeModel.Gaussian.next(r));
        }
        return z;
    }

    @Test
    void concurrentDecodesShareForwardPassesAndKeepTheirOwnResults() throws Exception {
        try (VaeModel model = VaeModel.load(TestServer.run());
             ModelWorker worker = new ModelWorker(model, 50_000, 64, 1024)) {
            int n = 48;
            SplittableRandom r = new SplittableRandom(3);
            List<float[]> codes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                codes.add(randomCode(r, model.latent()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<float[]>> results = new ArrayList<>();
            try {
                for (float[] z : codes) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return worker.decode(z).get(30, TimeUnit.SECONDS);
                    }));
                }
                go.countDown();
                List<float[]> got = new ArrayList<>();
                for (Future<float[]> f : results) {
                    got.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(worker.decodedCodes()).isEqualTo(n);
                assertThat(worker.forwardPasses()).isLessThan(n).isPositive();
                assertThat(worker.largestBatch()).isGreaterThan(1);
                // the reference: each code decoded alone, once the worker is idle
                for (int i = 0; i < n; i++) {
                    float[] alone = model.decode(codes.get(i), 1);
                    assertThat(got.get(i)).hasSize(alone.length);
                    for (int k = 0; k < alone.length; k++) {
                        assertThat(got.get(i)[k]).as("code %d value %d", i, k).isCloseTo(alone[k], within(1e-5f));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aConditionalModelsDecodesOfDifferentLabelsShareAPassAndAMissingLabelFailsAlone() throws Exception {
        try (VaeModel model = VaeModel.load(TestServer.conditionalRun());
             ModelWorker worker = new ModelWorker(model, 100_000, 64, 1024)) {
            float[] z = {0.3f, -0.7f, 1.1f};
            List<CompletableFuture<float[]>> fs = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                fs.add(worker.decode(z, k));
            }
            CompletableFuture<float[]> unlabelled = worker.decode(z);
            for (int k = 0; k < 3; k++) {
                float[] alone = model.decode(z, 1, new int[] {k});
                float[] got = fs.get(k).get(30, TimeUnit.SECONDS);
                for (int j = 0; j < alone.length; j++) {
                    assertThat(got[j]).as("label %d value %d", k, j).isCloseTo(alone[j], within(1e-5f));
                }
            }
            assertThat(worker.forwardPasses()).isEqualTo(1);
            assertThat(worker.largestBatch()).isEqualTo(3);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> unlabelled.get(30, TimeUnit.SECONDS))
                    .hasRootCauseMessage("a 'cvae' model is conditional: give a label (0..2)");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker.decode(z, 3))
                    .hasMessage("label 3 is out of range: this model knows labels 0..2");
        }
        try (VaeModel model = VaeModel.load(TestServer.run());
             ModelWorker worker = new ModelWorker(model, 0, 64, 1024)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker.decode(new float[model.latent()], 0))
                    .hasMessage("label: a 'vae' model cannot condition on a label");
        }
    }

    @Test
    void tasksInterleavedWithDecodesStillRunAndMaxBatchIsRespected() throws Exception {
        try (VaeModel model = VaeModel.load(TestServer.run());
             ModelWorker worker = new ModelWorker(model, 20_000, 4, 1024)) {
            List<CompletableFuture<float[]>> fs = new ArrayList<>();
            CompletableFuture<Integer> task = null;
            for (int i = 0; i < 10; i++) {
                fs.add(worker.decode(new float[model.latent()]));
                if (i == 3) {
                    task = worker.submit(() -> 42);
                }
            }
            for (CompletableFuture<float[]> f : fs) {
                assertThat(f.get(30, TimeUnit.SECONDS)).hasSize(model.featureSize());
            }
            assertThat(task.get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(worker.largestBatch()).isLessThanOrEqualTo(4);
            assertThat(worker.forwardPasses()).isGreaterThanOrEqualTo(3).isLessThan(10);
        }
    }

    @Test
    void concurrentHttpDecodesAreBatchedAndCorrect() throws Exception {
        try (TestServer s = TestServer.start(30_000)) {
            int n = 24;
            SplittableRandom r = new SplittableRandom(11);
            List<float[]> codes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                codes.add(randomCode(r, s.model.latent()));
            }
            long before = s.explorer.worker().forwardPasses();
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<byte[]>>> rs = new ArrayList<>();
            try {
                for (float[] z : codes) {
                    StringBuilder b = new StringBuilder("{\"z\":[");
                    for (int j = 0; j < z.length; j++) {
                        b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9g", z[j]));
                    }
                    String body = b.append("]}").toString();
                    rs.add(pool.submit(() -> {
                        go.await();
                        return s.postJson("/api/decode", body);
                    }));
                }
                go.countDown();
                List<BufferedImage> imgs = new ArrayList<>();
                for (Future<HttpResponse<byte[]>> f : rs) {
                    HttpResponse<byte[]> resp = f.get(60, TimeUnit.SECONDS);
                    assertThat(resp.statusCode()).isEqualTo(200);
                    imgs.add(ImageIO.read(new ByteArrayInputStream(resp.body())));
                }
                long passes = s.explorer.worker().forwardPasses() - before;
                assertThat(passes).isLessThan(n);
                for (int i = 0; i < n; i++) {
                    float[] alone = s.model.decode(codes.get(i), 1);
                    BufferedImage img = imgs.get(i);
                    for (int k = 0; k < alone.length; k++) {
                        int g = img.getRaster().getSample(k % 16, k / 16, 0);
                        assertThat(g).as("request %d pixel %d", i, k).isCloseTo(Png.level(alone[k]), org.assertj.core.data.Offset.offset(1));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

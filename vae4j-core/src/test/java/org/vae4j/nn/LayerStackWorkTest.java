package org.vae4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.model.ArchConfig;

/** The work counts and per-layer profiles behind the speed benchmarks. */
class LayerStackWorkTest {
    /** The conv VAE: --arch conv --channels 32,64 --hidden 256 --latent 16 on 1×28×28. */
    private static final ArchConfig CONV = new ArchConfig(ArchConfig.CONV, List.of(256), List.of(32, 64), "relu", 0);
    private static final List<Integer> MNIST = List.of(1, 28, 28);

    @Test
    void multiplyAddsOfTheConvVaeAreCountedLayerByLayer() {
        LayerStack enc = Networks.encoder(CONV, MNIST, 32);
        LayerStack dec = Networks.decoder(CONV, MNIST, 16, 1);
        long encoder = 14 * 14 * 32 * 16 // conv1 4×4/2, 1→32
                + 7 * 7 * 64 * (32 * 16) // conv2 4×4/2, 32→64
                + 3136 * 256 + 256 * 32; // fc1, head
        long decoder = 16 * 256 + 256 * 3136 // fc1, fc2
                + 14 * 14 * 32 * (64 * 9) // upsample + conv 3×3, 64→32 (counted at full resolution)
                + 28 * 28 * 1 * (32 * 9); // upsample + conv 3×3, 32→1
        assertThat(enc.multiplyAdds(new Shape(1, 28, 28))).isEqualTo(encoder);
        assertThat(dec.multiplyAdds(new Shape(16))).isEqualTo(decoder);
        // 14.3 MFLOP forward per image, as the speed issue states
        assertThat(2.0 * (encoder + decoder) / 1e6).isCloseTo(14.32, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aProfileHasOneRowPerStepWithItsInputShapeAndWork() {
        LayerStack dec = Networks.decoder(CONV, MNIST, 16, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            dec.initialize(m, DataType.FLOAT32, new Shape(1, 16));
            List<LayerStack.StepTiming> rows = dec.profile(m, new Shape(4, 16), null, 1);
            assertThat(rows).extracting(LayerStack.StepTiming::step).containsExactly(
                    "fc1: dense 16→256", "activation", "fc2: dense 256→3136", "activation", "reshape",
                    "conv1: upsample ×2 + conv 3×3 (sub-pixel), 64→32 channels", "activation",
                    "conv2: upsample ×2 + conv 3×3 (sub-pixel), 32→1 channels", "reshape");
            assertThat(rows.get(5).input()).isEqualTo(new Shape(4, 64, 7, 7));
            assertThat(rows.get(5).multiplyAdds()).isEqualTo(4L * 14 * 14 * 32 * 64 * 9);
            assertThat(rows.get(1).multiplyAdds()).isZero();
            assertThat(rows).allSatisfy(r -> assertThat(r.forwardBackwardMs()).isPositive());
        }
    }
}

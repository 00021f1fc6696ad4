package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vae4j.cli.CliRun.Result;

class DiagnoseCliTest {
    /** A frozen conv VAE (1×16×16, channels 4,8, hidden 32, latent 4): 48,512 multiply-adds per record by hand. */
    private static final Path CONV = Path.of("../vae4j-core/src/test/resources/models/v1-vae-conv-bernoulli");

    @Test
    void aModelsWorkAndLayerProfileArePrinted() {
        Result r = cli("diagnose", "--threads", "1", "--model", CONV.toString(), "--records", "1000", "--profile", "--batch-size", "8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(48512 multiply-adds, all networks)")
                .contains("model training epoch (1000 records, 3 x forward): 0 GFLOP")
                .contains("profile, batch 8")
                .contains("| decoder | conv1: upsample ×2 + conv 3×3 (sub-pixel), 8→4 channels | (8, 8, 4, 4) |")
                .contains("| optimiser | Adam");
    }

    @Test
    void profileWithoutAModelIsAnOptionError() {
        Result r = cli("diagnose", "--profile");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--profile needs --model RUN");
    }
}

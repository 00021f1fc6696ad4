package org.vae4j.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.data.TableSchema;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;

class ThreadChoiceTest {
    @Test
    void smallWorkGetsOneThreadWhateverTheCores() {
        // the acceptance model of issue 15: a 30-column table, hidden 32, latent 4, batch 128
        java.util.List<TableSchema.Column> cols = new java.util.ArrayList<>();
        for (int j = 0; j < 30; j++) {
            cols.add(TableSchema.Column.continuous("c" + j, 0, 1));
        }
        TableSchema t = new TableSchema(cols);
        ModelConfig mc = new ModelConfig(ModelConfig.FORMAT_VERSION, "vae", List.of(30), 4, ArchConfig.mlp(32), "composite", 1.0, 1.0,
                DataTransform.ofTable(t));
        long params = VaeModel.parameterCount(mc);
        assertThat(params).isEqualTo(30 * 32 + 32 + 32 * 8 + 8 + 4 * 32 + 32 + 32 * 60 + 60);
        double flops = ThreadChoice.trainingFlops(params, 128);
        assertThat(flops).isEqualTo(6.0 * params * 128);
        for (int cores : new int[] {1, 2, 16, 64}) {
            ThreadChoice c = ThreadChoice.choose(flops, cores, 0);
            assertThat(c.threads()).isEqualTo(1);
            assertThat(c.auto()).isTrue();
        }
        assertThat(ThreadChoice.choose(flops, 2, 0).describe())
                .isEqualTo("1 (auto: 2.6 MFLOP per step is too little to share; --threads N fixes it)");
    }

    @Test
    void largeWorkGetsTheFreeCores() {
        // an MNIST MLP (784-400-20) step: about 500 MFLOP
        double mnist = ThreadChoice.trainingFlops(652_824, 128);
        assertThat(ThreadChoice.choose(mnist, 2, 0.2).threads()).isEqualTo(2);
        assertThat(ThreadChoice.choose(mnist, 2, 0.2).describe()).isEqualTo("2 (auto: 501.4 MFLOP per step, 2 cores; --threads N fixes it)");
        assertThat(ThreadChoice.choose(mnist, 16, -1).threads()).isEqualTo(5); // by the work
        assertThat(ThreadChoice.choose(mnist, 16, 2).describe()).isEqualTo("5 (auto: 501.4 MFLOP per step is too little to share among more threads; --threads N fixes it)");
        // other processes keep cores busy: they are left to them
        assertThat(ThreadChoice.choose(mnist, 2, 2.0).threads()).isEqualTo(1);
        assertThat(ThreadChoice.choose(mnist, 2, 2.0).reason()).isEqualTo("501.4 MFLOP per step, but load 2.0 leaves 1 of 2 cores free");
        assertThat(ThreadChoice.choose(1e12, 4, 1.4).threads()).isEqualTo(3);
        assertThat(ThreadChoice.choose(1e12, 4, 9).threads()).isEqualTo(1);
        assertThat(ThreadChoice.choose(1e12, 4, Double.NaN).threads()).isEqualTo(4);
    }

    @Test
    void parsesAutoOrACount() {
        assertThat(ThreadChoice.parse("auto")).isNull();
        assertThat(ThreadChoice.parse(" AUTO ")).isNull();
        assertThat(ThreadChoice.parse("3")).isEqualTo(3);
        // 0 meant "all cores" before auto, and still does
        assertThat(ThreadChoice.parse("0")).isEqualTo(Runtime.getRuntime().availableProcessors());
        for (String bad : new String[] {"-1", "1025", "x", "", "2.5"}) {
            assertThatThrownBy(() -> ThreadChoice.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--threads must be auto, a number in 1..1024 or 0 (all cores), got '" + bad + "'");
        }
        assertThat(ThreadChoice.fixed(2).describe()).isEqualTo("2");
    }
}

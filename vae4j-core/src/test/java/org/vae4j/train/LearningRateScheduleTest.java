package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.vae4j.util.Json;

class LearningRateScheduleTest {

    @Test
    void burdaWithThePapersEpochsIsThePapersSchedule() {
        // stage i: 3^i passes at 1e-3 * 10^(-i/7); stage boundaries after 1, 4, 13, 40, 121, 364, 1093 epochs
        int[] firstEpochOfStage = {1, 2, 5, 14, 41, 122, 365, 1094};
        for (int i = 0; i < 8; i++) {
            assertThat(LearningRateSchedule.BURDA.factor(firstEpochOfStage[i], 3280)).as("stage %d", i)
                    .isCloseTo(Math.pow(10, -i / 7.0), within(1e-12));
            if (i > 0) {
                assertThat(LearningRateSchedule.BURDA.factor(firstEpochOfStage[i] - 1, 3280)).as("before stage %d", i)
                        .isCloseTo(Math.pow(10, -(i - 1) / 7.0), within(1e-12));
            }
        }
        assertThat(LearningRateSchedule.BURDA.factor(3280, 3280)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void burdaCompressedKeepsTheShape() {
        // 100 epochs: the last stage (2187/3280 of the run) starts where 1093/3280 = 33.3% of it is done: epoch 35
        assertThat(LearningRateSchedule.BURDA.factor(1, 100)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.BURDA.factor(34, 100)).isCloseTo(Math.pow(10, -6 / 7.0), within(1e-12));
        assertThat(LearningRateSchedule.BURDA.factor(35, 100)).isCloseTo(0.1, within(1e-12));
        assertThat(LearningRateSchedule.BURDA.factor(100, 100)).isCloseTo(0.1, within(1e-12));
        double previous = 2;
        for (int e = 1; e <= 100; e++) {
            double f = LearningRateSchedule.BURDA.factor(e, 100);
            assertThat(f).isLessThanOrEqualTo(previous);
            previous = f;
        }
    }

    @Test
    void cosineAndConstant() {
        assertThat(LearningRateSchedule.COSINE.factor(1, 10)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.COSINE.factor(6, 10)).isCloseTo(0.5, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.factor(10, 10)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.9)), within(1e-12));
        assertThat(LearningRateSchedule.CONSTANT.factor(7, 10)).isEqualTo(1.0);
        assertThatThrownBy(() -> LearningRateSchedule.of("step")).hasMessageContaining("constant, burda or cosine");
    }

    @Test
    void aConstantScheduleLeavesTrainJsonAsItWas() {
        TrainConfig plain = TrainConfig.defaults();
        assertThat(plain.lrSchedule()).isNull();
        assertThat(Json.write(plain)).doesNotContain("lrSchedule");
        assertThat(plain.withLrSchedule("constant").lrSchedule()).isNull();
        TrainConfig burda = plain.withLrSchedule("BURDA").withEpochs(100);
        assertThat(burda.lrSchedule()).isEqualTo("burda");
        assertThat(burda.learningRate(35)).isCloseTo(1e-4, within(1e-12));
        // written and read back; a file without the field reads as constant
        assertThat(Json.readStrict(Json.write(burda), TrainConfig.class, "t")).isEqualTo(burda);
        assertThat(Json.readStrict(Json.write(plain), TrainConfig.class, "t")).isEqualTo(plain);
    }
}

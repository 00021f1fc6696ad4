package org.vae4j.train;

import java.util.ServiceLoader;

/**
 * Which {@link StepStrategy} trains a model: a model whose training is not one optimiser over all parameters (a GAN's
 * adversarial step) registers a {@link StepStrategy.Provider} in
 * {@code META-INF/services/org.vae4j.train.StepStrategy$Provider}; every other model gets {@link SingleOptimizerStep}.
 * Both a new run and its resume look the strategy up here, so they train alike.
 */
public final class StepStrategies {
    private StepStrategies() {}

    /** The step strategy for a model type (its registry name). */
    public static StepStrategy.Factory forModel(String model) {
        for (StepStrategy.Provider p : ServiceLoader.load(StepStrategy.Provider.class, StepStrategies.class.getClassLoader())) {
            if (p.model().equals(model)) {
                return p.factory();
            }
        }
        return SingleOptimizerStep::create;
    }
}

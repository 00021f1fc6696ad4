package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Named activation functions for hidden layers. All pass their constants natively (safe under autograd). */
public final class Activations {
    private static final Map<String, UnaryOperator<NDArray>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("relu", Activation::relu);
        BY_NAME.put("leaky-relu", a -> Activation.leakyRelu(a, 0.2f));
        BY_NAME.put("elu", a -> Activation.elu(a, 1f));
        BY_NAME.put("gelu", Activation::gelu);
        BY_NAME.put("tanh", Activation::tanh);
        BY_NAME.put("sigmoid", Activation::sigmoid);
        BY_NAME.put("softplus", Activation::softPlus);
    }

    private Activations() {}

    /** Throws if {@code name} is not a known activation. */
    public static void check(String name) {
        if (!BY_NAME.containsKey(name)) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; choose one of "
                    + String.join(", ", BY_NAME.keySet()));
        }
    }

    /** The activation function called {@code name}. */
    public static UnaryOperator<NDArray> get(String name) {
        check(name);
        return BY_NAME.get(name);
    }
}

package org.vae4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Registry of {@link ModelVariant}s discovered with {@link ServiceLoader}. */
public final class ModelVariants {
    private static volatile Map<String, ModelVariant> variants;

    private ModelVariants() {}

    private static Map<String, ModelVariant> all() {
        Map<String, ModelVariant> v = variants;
        if (v == null) {
            v = new LinkedHashMap<>();
            for (ModelVariant mv : ServiceLoader.load(ModelVariant.class, ModelVariants.class.getClassLoader())) {
                v.put(mv.name(), mv);
            }
            variants = v;
        }
        return v;
    }

    /** The variant called {@code name}; throws listing the known names otherwise. */
    public static ModelVariant get(String name) {
        ModelVariant v = all().get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; choose one of " + String.join(", ", all().keySet()));
        }
        return v;
    }

    /** All registered variants. */
    public static List<ModelVariant> list() {
        return List.copyOf(all().values());
    }
}

package dev.soma.playground;

import dev.soma.nn.Identity;
import dev.soma.nn.LeakyReLU;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.Tanh;

/**
 * The σ of a hidden layer, each one of core's activation modules. {@code linear} is the identity:
 * a stack of linear layers without σ collapses into a single linear map, which is the lesson.
 */
public enum ActivationKind {
    RELU("relu"),
    TANH("tanh"),
    SIGMOID("sigmoid"),
    LINEAR("linear"),
    LEAKY_RELU("leakyrelu"),
    GELU("gelu");

    private final String id;

    ActivationKind(String id) {
        this.id = id;
    }

    /** The name requests and URLs use. */
    public String id() {
        return id;
    }

    /** A new module computing this activation. */
    public Module module() {
        return switch (this) {
            case RELU -> new ReLU();
            case TANH -> new Tanh();
            case SIGMOID -> new Sigmoid();
            case LINEAR -> new Identity();
            case LEAKY_RELU -> new LeakyReLU(0.01f);
            case GELU -> new dev.soma.nn.GELU();
        };
    }

    /** The activation called {@code id} (case ignored). */
    public static ActivationKind of(String id) {
        for (ActivationKind a : values()) {
            if (a.id.equalsIgnoreCase(id) || a.name().equalsIgnoreCase(id)) {
                return a;
            }
        }
        throw new PlaygroundException("unknown activation '" + id + "' (expected relu, tanh, sigmoid, linear, leakyrelu or gelu)");
    }
}

package dev.soma.testing;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need a Debian package Soma does not depend on (OpenBLAS, the Fashion-MNIST files):
 * where the package is absent they skip, saying how to install it, unless the environment variable
 * {@value #VARIABLE} names it; then its absence is a failure. {@code .ci/run} sets {@value #VARIABLE}
 * to every package it installs, so in CI such a test fails, never skips.
 */
public final class Installed {

    /** The packages whose absence fails a test instead of skipping it, separated by spaces or commas. */
    public static final String VARIABLE = "SOMA_REQUIRE";

    private Installed() {
    }

    /**
     * Returns when {@code present}; otherwise fails the calling test if {@value #VARIABLE} names
     * {@code debianPackage}, else skips it.
     *
     * @param detail what was looked for and not found, for the message
     */
    public static void assume(String debianPackage, boolean present, String detail) {
        assume(debianPackage, present, detail, System.getenv(VARIABLE));
    }

    /**
     * As {@link #assume(String, boolean, String)} for what is not a Debian package ({@code onnxruntime},
     * from PyPI): {@code install} says how to get it ("run scripts/onnx-venv"). {@value #VARIABLE} names
     * it as it names packages.
     */
    public static void assumeInstalled(String name, String install, boolean present, String detail) {
        check(name, present, name + " is not installed (" + install + "): " + detail, System.getenv(VARIABLE));
    }

    /** As {@link #assume(String, boolean, String)}, with {@code requirement} for the variable's value. */
    static void assume(String debianPackage, boolean present, String detail, String requirement) {
        check(debianPackage, present, debianPackage + " is not installed (apt-get install " + debianPackage + "): "
                + detail, requirement);
    }

    private static void check(String debianPackage, boolean present, String message, String requirement) {
        if (present) {
            return;
        }
        List<String> required = requirement == null ? List.of()
                : Arrays.stream(requirement.split("[\\s,]+")).filter(name -> !name.isEmpty()).toList();
        if (required.contains(debianPackage)) {
            throw new AssertionError(VARIABLE + "=\"" + requirement + "\" requires it, but " + message);
        }
        Assumptions.abort(message);
    }
}

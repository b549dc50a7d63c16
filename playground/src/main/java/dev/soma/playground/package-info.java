/**
 * The web playground: watch neurons learn in the browser, trained by Soma's engine.
 *
 * <p>{@link dev.soma.playground.Session} is one experiment without any HTTP: its points
 * ({@link dev.soma.playground.DataSet}, clicked, or {@link dev.soma.playground.CsvPoints}), its inputs
 * ({@link dev.soma.playground.Feature}), a network of core's {@code Linear} layers and activations
 * ({@link dev.soma.playground.ActivationKind}), its optimizer, step/epoch counters, and
 * {@link dev.soma.playground.Snapshot}s of everything the page draws. {@link dev.soma.playground.Settings}
 * define it, checked against {@link dev.soma.playground.Limits}; {@link dev.soma.playground.Presets}
 * replay {@code soma demo}.
 *
 * <p>{@link dev.soma.playground.PlaygroundServer} serves the page (three resources under {@code web/})
 * and the JSON API with the JDK's {@code HttpServer}, its Javadoc says why that and not Javalin, and
 * how it guards against other sites (Host and Origin checks) and oversized requests.
 */
package dev.soma.playground;

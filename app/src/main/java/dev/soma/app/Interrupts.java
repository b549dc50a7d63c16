package dev.soma.app;

import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while {@code soma train} runs: the first asks the training loop to stop
 * after the step under way (it then writes a checkpoint and says how to resume); a second one stops
 * the JVM at once. {@link #close()} gives the signals back to their previous handlers.
 */
final class Interrupts implements AutoCloseable {

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile Signal received;

    private Interrupts() {
    }

    /** Installs the handlers; a signal the JVM will not hand over (under {@code -Xrs}) is left alone. */
    static Interrupts install() {
        Interrupts interrupts = new Interrupts();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                interrupts.previous.put(signal, Signal.handle(signal, interrupts::onSignal));
            } catch (IllegalArgumentException unavailable) {
                // The JVM keeps this signal (-Xrs); it then stops the run as it always did.
            }
        }
        return interrupts;
    }

    private void onSignal(Signal signal) {
        if (received != null) {
            System.err.println("soma: SIG" + signal.getName() + " again: stopping now, without a checkpoint");
            System.exit(128 + signal.getNumber());
        }
        received = signal;
        System.err.println("soma: SIG" + signal.getName() + ": finishing this step to write a checkpoint"
                + " (send it again to stop at once)");
    }

    /** Whether a signal asked the run to stop. */
    boolean requested() {
        return received != null;
    }

    /** The signal's name, "SIGINT" or "SIGTERM". */
    String signalName() {
        return "SIG" + received.getName();
    }

    /** The shell's code for a process ended by the signal: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
    int exitCode() {
        return 128 + received.getNumber();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}

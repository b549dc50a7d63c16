package dev.soma.playground;

/**
 * A request the playground refuses: a setting out of its range, a limit passed, a malformed CSV line.
 * The message says what is wrong and is shown to the user as it is (the HTTP API answers 400 with it).
 */
public final class PlaygroundException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PlaygroundException(String message) {
        super(message);
    }
}

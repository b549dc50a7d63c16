package dev.soma.app.demo;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a demo runs with.
 *
 * @param seed the seed of every random number the demo draws
 * @param out where the story goes
 * @param plot where to save the demo's picture, or null for none
 */
public record DemoContext(long seed, PrintWriter out, Path plot) {

    /** Prints one line of the story. */
    public void say(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
    }
}

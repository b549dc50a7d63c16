package dev.soma.app.demo;

import java.io.IOException;
import java.util.Map;

/** One step of the lesson: it tells its story on {@code context.out()} and returns its numbers. */
public interface Demo {

    /** The name on the command line: {@code soma demo <name>}. */
    String name();

    /** One line on what it shows, for {@code soma demo --help}. */
    String summary();

    /**
     * Runs the demo, deterministically for {@code context.seed()}, and returns the fields of its JSON
     * object, {@code "demo"} first.
     */
    Map<String, Object> run(DemoContext context) throws IOException;
}

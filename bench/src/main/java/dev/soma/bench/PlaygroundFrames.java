package dev.soma.bench;

import dev.soma.playground.PlaygroundServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The playground page's redraw rate in headless Chromium while the default network trains: the page
 * counts the frames it draws ({@code window.somaFrames}, each a snapshot not drawn before: its 100 × 100
 * output and every neuron's 25 × 25 surface) and the snapshots it receives ({@code window.somaSnapshots});
 * this reads both over {@code seconds} of the page's own clock after 3 s of warm-up, for each of
 * {@code rounds} fresh page loads (after one uncounted round of 5 s, round 0, that warms the server
 * up), and prints each round and the median frames per second.
 *
 * <p>It also prints what bounds the rate: the milliseconds one frame takes to draw
 * ({@code window.somaDrawMillis}), the animation frames the browser offered
 * ({@code window.somaAnimationFrames}) and the snapshots received; the page draws at most one frame
 * per snapshot and per animation frame, and the server sends at most one snapshot every 16 ms.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (as the playground's browser tests).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/soma-bench.jar dev.soma.bench.PlaygroundFrames [seconds] [rounds]
 * </pre>
 */
public final class PlaygroundFrames {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private PlaygroundFrames() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (seconds < 1 || rounds < 1) {
            System.err.println("soma: seconds and rounds must be at least 1, got " + seconds + " and " + rounds);
            System.exit(2);
        }
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            System.err.println("soma: PlaygroundFrames needs chromium and chromium-driver (apt-get install chromium chromium-driver)");
            System.exit(1);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,1200", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        double[] rates = new double[rounds];
        try (PlaygroundServer server = new PlaygroundServer("127.0.0.1", 0, 60_000)) {
            WebDriver browser = new ChromeDriver(service, options);
            try {
                round(browser, server.url(), 5, 0); // warm-up, not counted: the server's JIT, Chromium's caches
                for (int r = 0; r < rounds; r++) {
                    rates[r] = round(browser, server.url(), seconds, r + 1);
                }
            } finally {
                browser.quit();
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "median over %d rounds of %d s: %.1f frames/s (target >= 30)%n", rounds, seconds,
                sorted[rounds / 2]);
    }

    /** One page load: play, warm up for 3 s, then count over {@code seconds}; frames per second. */
    private static double round(WebDriver browser, String url, int seconds, int round) throws InterruptedException {
        browser.get("about:blank");
        browser.get(url); // no hash: the default network (x1, x2 → 4 → 2 tanh → 1, batch 10)
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (js.executeScript("return window.somaFrames > 0 && state.snapshot !== null") != Boolean.TRUE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the page drew nothing within 60 s");
            }
            Thread.sleep(50);
        }
        browser.findElement(By.id("play")).click();
        Thread.sleep(3000); // warm-up: the server's JIT, the page's first frames
        Map<?, ?> before = counters(js);
        Thread.sleep(seconds * 1000L);
        Map<?, ?> after = counters(js);
        browser.findElement(By.id("play")).click();
        double elapsed = (number(after, "now") - number(before, "now")) / 1000;
        double frames = (number(after, "frames") - number(before, "frames")) / elapsed;
        double snapshots = (number(after, "snapshots") - number(before, "snapshots")) / elapsed;
        double steps = (number(after, "step") - number(before, "step")) / elapsed;
        double offered = (number(after, "offered") - number(before, "offered")) / elapsed;
        double drawing = (number(after, "drawing") - number(before, "drawing")) / (frames * elapsed);
        System.out.printf(Locale.ROOT, "round %d: %.1f frames/s (%.1f ms each; %.1f animation frames/s offered),"
                + " %.1f snapshots/s received, %,.0f steps/s shown%n", round, frames, drawing, offered, snapshots, steps);
        return frames;
    }

    private static Map<?, ?> counters(JavascriptExecutor js) {
        return (Map<?, ?>) js.executeScript("return {frames: window.somaFrames, snapshots: window.somaSnapshots,"
                + " now: performance.now(), step: state.snapshot.step, offered: window.somaAnimationFrames,"
                + " drawing: window.somaDrawMillis}");
    }

    private static double number(Map<?, ?> values, String key) {
        return ((Number) values.get(key)).doubleValue();
    }

}

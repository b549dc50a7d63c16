package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's headless Chromium driven by Selenium through chromium-driver.
 * Where they are not installed the tests are skipped, unless {@code SOMA_REQUIRE} names
 * {@code chromium} ({@code .ci/run} names every package it installs), which makes that a failure. Screenshots go to
 * {@code target/playground-screenshots/}.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "playground-screenshots");

    private static PlaygroundServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String required = System.getenv().getOrDefault("SOMA_REQUIRE", "");
        if (!installed && java.util.Arrays.asList(required.split("[\\s,]+")).contains("chromium")) {
            throw new AssertionError("SOMA_REQUIRE=\"" + required + "\" requires it, but chromium or chromium-driver"
                    + " is missing (apt-get install chromium chromium-driver)");
        }
        assumeTrue(installed, "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        server = new PlaygroundServer("127.0.0.1", 0, 60_000);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,1200", "--disable-dev-shm-usage");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(60)).until(condition);
    }

    private static void open(String hash) {
        browser.get("about:blank"); // a new hash on the same page would only be a hash change
        browser.get(server.url() + hash);
        waitFor(d -> !text("step-count").isEmpty() && js("return state.snapshot !== null") == Boolean.TRUE);
        drawn();
    }

    /** Waits until the page has drawn the snapshot it holds (it draws in the next animation frame). */
    private static void drawn() {
        waitFor(d -> js("return window.somaFrames > 0 && !state.dirty") == Boolean.TRUE);
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void screenshot(String name) throws Exception {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    private static void noScriptErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("Failed to load resource")) // the 4xx answers tests ask for
                .toList();
        assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "errors in the browser's console");
    }

    private static double testAccuracy() {
        String shown = text("test-accuracy");
        return shown.equals("–") ? Double.NaN : Double.parseDouble(shown.replace(" %", ""));
    }

    @Test
    void xor241TrainsToEveryTestPointAndLinearActivationsFail() throws Exception {
        open("#preset=xor-2-4-1");
        browser.findElement(By.id("play")).click();
        waitFor(d -> testAccuracy() == 100.0);
        browser.findElement(By.id("play")).click(); // pause
        // one draw per animation frame at most, never one per message: never more frames than snapshots
        long frames = ((Number) js("return window.somaFrames")).longValue();
        long snapshots = ((Number) js("return window.somaSnapshots")).longValue();
        assertTrue(frames > 1 && frames <= snapshots, frames + " frames for " + snapshots + " snapshots");
        drawn();
        screenshot("xor-2-4-1");
        assertEquals("100.0 %", text("test-accuracy"));

        WebElement activation = browser.findElement(By.cssSelector("#per-layer select"));
        new org.openqa.selenium.support.ui.Select(activation).selectByVisibleText("linear");
        waitFor(d -> "linear".equals(js("return state.snapshot.settings.activations[0]")));
        browser.findElement(By.id("play")).click();
        waitFor(d -> ((Number) js("return state.snapshot.step")).longValue() > 1000);
        browser.findElement(By.id("play")).click();
        screenshot("xor-linear");
        assertTrue(testAccuracy() <= 80, "linear XOR accuracy " + text("test-accuracy"));
        assertTrue(text("collapsed").contains("one linear map"), text("collapsed"));
        noScriptErrors();
    }

    @Test
    void editingAWeightChangesTheSurface() throws Exception {
        open("#preset=xor-2-4-1");
        String before = (String) js("return document.getElementById('output').toDataURL()");
        // Select hidden neuron 1 by clicking it, then type a weight.
        js("const p = layout()[1][0]; const c = document.getElementById('network'); const b = c.getBoundingClientRect();"
                + "c.dispatchEvent(new MouseEvent('click', {clientX: b.left + (p.x + 5) * b.width / c.width,"
                + " clientY: b.top + (p.y + 5) * b.height / c.height}));");
        WebElement weight = waitFor(d -> d.findElement(By.cssSelector("#weight-editors input[data-from='0']")));
        assertTrue(text("formula").contains("y = tanh(Σ wⱼ·xⱼ + b)"), text("formula"));
        weight.click();
        weight.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), "8", org.openqa.selenium.Keys.TAB);
        waitFor(d -> ((Number) js("return state.snapshot.layers[1].weights[0][0]")).doubleValue() == 8.0);
        drawn();
        String after = (String) js("return document.getElementById('output').toDataURL()");
        assertNotEquals(before, after, "the surface moved");
        // The inspector's live numbers for the point under the mouse.
        new Actions(browser).moveToElement(browser.findElement(By.id("output")), 30, -40).perform();
        waitFor(d -> text("formula").contains("at (x₁, x₂)"));
        screenshot("inspector");
        noScriptErrors();
    }

    @Test
    void clickedPointsAndUploadedCsvReplaceTheData() throws Exception {
        open("#preset=xor-2-4-1");
        browser.findElement(By.id("add-mode")).click();
        WebElement output = browser.findElement(By.id("output"));
        new Actions(browser).moveToElement(output, 10, 10).click().perform();
        waitFor(d -> ((Number) js("return state.points.length")).intValue() == 101);
        assertEquals("custom", js("return state.snapshot.settings.dataset"));

        Path good = Files.createTempFile("points", ".csv");
        Files.writeString(good, "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.1,0.1,0\n");
        browser.findElement(By.id("csv")).sendKeys(good.toAbsolutePath().toString());
        waitFor(d -> ((Number) js("return state.points.length")).intValue() == 5);
        screenshot("csv-good");

        Path broken = Files.createTempFile("broken", ".csv");
        Files.writeString(broken, "x1,x2,label\n0,0,0\n0,zero,1\n");
        browser.findElement(By.id("csv")).sendKeys(broken.toAbsolutePath().toString());
        waitFor(d -> !text("csv-error").isEmpty());
        assertEquals("line 3: 'zero' is not a number", text("csv-error"));
        assertEquals(5L, ((Number) js("return state.points.length")).longValue(), "the good points stay");
        screenshot("csv-broken");
    }

    @Test
    void theLifTabDrivesASpikingNeuronWithTheOutputsWeightedSum() throws Exception {
        open("#preset=neuron-and");
        browser.findElement(By.id("tab-lif")).click();
        assertTrue(browser.findElement(By.id("lif-trace")).isDisplayed());
        // the point: (1, 1), the AND's true corner, marked on the output; the current its weighted sum × 10 mV
        WebElement output = browser.findElement(By.id("output"));
        js("const c = document.getElementById('output'), b = c.getBoundingClientRect(), s = state.snapshot;"
                + "const u = (1 - s.min) / (s.max - s.min), v = (s.max - 1) / (s.max - s.min);"
                + "c.dispatchEvent(new MouseEvent('click', {clientX: b.left + u * b.width, clientY: b.top + v * b.height}));");
        waitFor(d -> js("return state.lif !== null && Math.abs(state.lif.currentMv - 10 * state.lif.z) < 1e-6"
                + " && state.lifDrawn === state.lif && !state.dirty") == Boolean.TRUE);
        // z = w·x + b by the page's own weights; σ(z) and the closed-form rate from it
        double z = ((Number) js("const l = state.snapshot.layers[1], p = state.lifPoint;"
                + "return l.weights[0][0] * p[0] + l.weights[0][1] * p[1] + l.biases[0]")).doubleValue();
        double shownZ = Double.parseDouble(text("lif-z"));
        assertEquals(z, shownZ, 1e-3);
        assertEquals(1 / (1 + Math.exp(-z)), Double.parseDouble(text("lif-output")), 1e-3);
        double current = 10 * z;
        double closedForm = current > 15 ? 1000 / (2 + 20 * Math.log(current / (current - 15))) : 0;
        assertEquals(closedForm, Double.parseDouble(text("lif-closed-form")), 0.05);
        // the point's marker: a dark ring of radius 8 around it on the output
        Object ring = js("const c = document.getElementById('output'), s = state.snapshot, k = c.width / (s.max - s.min);"
                + "const x = Math.round((state.lifPoint[0] - s.min) * k + 8), y = Math.round((s.max - state.lifPoint[1]) * k);"
                + "const p = c.getContext('2d').getImageData(x, y, 1, 1).data; return p[0] + p[1] + p[2];");
        assertTrue(((Number) ring).intValue() < 200, "no dark marker at the point: " + ring);

        // train until the neuron fires at (1, 1), then the trace holds spikes at the closed form's rate
        browser.findElement(By.id("play")).click();
        waitFor(d -> ((Number) js("return state.snapshot.evaluation.testAccuracy")).doubleValue() == 1.0
                && ((Number) js("return state.lif.z")).doubleValue() > 3);
        browser.findElement(By.id("play")).click();
        waitFor(d -> js("return !state.playing && state.lifAskedOf === state.snapshot && !state.lifInFlight"
                + " && state.lifDrawn === state.lif && !state.dirty") == Boolean.TRUE);
        double rate = Double.parseDouble(text("lif-rate"));
        double expected = Double.parseDouble(text("lif-closed-form"));
        assertTrue(rate > 0 && Math.abs(rate - expected) / expected < 0.1, rate + " Hz against " + expected + " Hz");
        screenshot("lif");
        noScriptErrors();
    }

    @Test
    void aSharedUrlGivesTheSameNetwork() throws Exception {
        open("#data=moons&n=200&noise=20&train=60&batch=5&seed=42&f=x1,x2,x1*x2&layers=5,3&act=relu,gelu&opt=adam&lr=0.01"
                + "&reg=l2&regRate=0.001&dropout=0&classroom=1");
        Object weights = js("return JSON.stringify(state.snapshot.layers.map(l => l.weights))");
        String url = browser.getCurrentUrl();
        assertTrue((Boolean) js("return document.body.classList.contains('classroom')"));
        screenshot("shared-classroom");
        open(url.substring(server.url().length()));
        assertEquals(weights, js("return JSON.stringify(state.snapshot.layers.map(l => l.weights))"));
        assertEquals("moons", js("return state.snapshot.settings.dataset"));
        assertEquals(42L, ((Number) js("return state.snapshot.settings.seed")).longValue());
        assertEquals(List.of(5L, 3L), js("return state.snapshot.settings.layers"));
        noScriptErrors();
    }
}

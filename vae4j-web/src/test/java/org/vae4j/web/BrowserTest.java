package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser (Debian's chromium driven by Playwright): slider → new decoded image, sample grid,
 * latent map → interpolation strip, inpainting with a mask drawn by mouse; for a conditional VAE the label picker
 * (decoding, sampling, interpolation and traversal within a class); for a model that cannot encode, its panels absent
 * with the server's reason. Screenshots go to target/screenshots. Without /usr/bin/chromium the test is skipped,
 * except in CI (CI=true), where that is a failure.
 */
class BrowserTest {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SHOTS = Paths.get("target", "screenshots");

    static TestServer s;
    static TestServer cvae;
    static TestServer decoderOnly;
    static TestServer twenty;
    static TestServer gan;
    static Playwright playwright;
    static Browser browser;
    static final List<String> consoleErrors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            boolean ci = "true".equals(System.getenv("CI"));
            if (ci) {
                throw new AssertionError(CHROMIUM + " is missing: CI must install chromium (apt-get install -y chromium)");
            }
            Assumptions.abort(CHROMIUM + " is missing; install chromium to run the browser test");
        }
        Files.createDirectories(SHOTS);
        s = TestServer.start(2000);
        cvae = TestServer.startConditional();
        decoderOnly = TestServer.startDecoderOnly();
        twenty = TestServer.startServing(20);
        gan = TestServer.startGan();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        for (TestServer t : new TestServer[] {s, cvae, decoderOnly, gan, twenty}) {
            if (t != null) {
                t.close();
            }
        }
    }

    /** A new page that records console errors, loaded from {@code server} until the app says it is ready. */
    static Page open(TestServer server, List<String> errors) {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 1500));
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                errors.add(m.text());
            }
        });
        page.onPageError(errors::add);
        page.navigate(server.base() + "/");
        page.waitForSelector("body[data-ready=true]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        return page;
    }

    /** Clicks test record {@code i}'s point on the latent map. */
    static void clickMapPoint(Page page, int i) {
        @SuppressWarnings("unchecked")
        List<Number> xy = (List<Number>) page.evaluate("i => { const g = mapGeometry(); const c = document.getElementById('map');"
                + " const r = c.getBoundingClientRect(); return [r.left + g.px(i) * r.width / c.width, r.top + g.py(i) * r.height / c.height]; }", i);
        page.mouse().click(xy.get(0).doubleValue(), xy.get(1).doubleValue());
    }

    static String canvasData(Page page, String id) {
        return (String) page.evaluate("id => document.getElementById(id).toDataURL()", id);
    }

    static void drag(Page page, BoundingBox b, double fx0, double fy0, double fx1, double fy1, int steps) {
        page.mouse().move(b.x + b.width * fx0, b.y + b.height * fy0);
        page.mouse().down();
        page.mouse().move(b.x + b.width * fx1, b.y + b.height * fy1, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(steps));
        page.mouse().up();
    }

    @Test
    void theExplorerWorksInABrowser() {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 1500));
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                consoleErrors.add(m.text());
            }
        });
        page.onPageError(consoleErrors::add);
        page.navigate(s.base() + "/");
        page.waitForSelector("body[data-ready=true]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        page.waitForFunction("() => Number(document.getElementById('decoded').dataset.version || 0) >= 1");
        assertThat(page.locator("#sliders input[type=range]").count()).isEqualTo(3);
        assertThat(page.locator("#sliders .kl").first().textContent()).startsWith("KL ");
        assertThat(page.locator("#config-table").textContent()).contains("latent").contains("bernoulli");
        assertThat(page.locator("#kl-bars .kl-row").count()).isEqualTo(3);
        assertThat(page.locator("#traversal .trav-row").count()).isEqualTo(3);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("01-loaded.png")).setFullPage(true));

        // move the most informative slider with the mouse: the decoded image changes
        String before = canvasData(page, "decoded");
        int version = Integer.parseInt(page.locator("#decoded").getAttribute("data-version"));
        Locator slider = page.locator("#sliders input[type=range]").first();
        drag(page, slider.boundingBox(), 0.5, 0.5, 0.97, 0.5, 12);
        page.waitForFunction("v => Number(document.getElementById('decoded').dataset.version) > v", version);
        page.waitForFunction("() => !state.decode.inFlight && !state.decode.pending");
        String after = canvasData(page, "decoded");
        assertThat(after).isNotEqualTo(before);
        assertThat(page.locator("#sliders output").first().textContent()).isNotEqualTo("0.00");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("02-slider.png")));

        // samples from the prior
        page.fill("#sample-n", "12");
        page.click("#sample");
        page.waitForFunction("() => document.querySelectorAll('#samples img').length === 12 "
                + "&& [...document.querySelectorAll('#samples img')].every(i => i.complete && i.naturalWidth === 16)");
        page.locator("#samples img").nth(2).click();
        assertThat(page.locator("#code-source").textContent()).isEqualTo("code: sample 2");

        // two points on the latent map: interpolation strip
        for (int k : new int[] {0, 7}) {
            clickMapPoint(page, k);
            page.waitForFunction("n => state.picks.length === n", k == 0 ? 1 : 2);
        }
        page.waitForFunction("() => document.querySelectorAll('#interp img').length === 10");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("03-map.png")).setFullPage(true));

        // inpainting: paint a mask with the mouse, fill
        Locator canvas = page.locator("#inpaint-canvas");
        canvas.scrollIntoViewIfNeeded();
        String unmasked = canvasData(page, "inpaint-canvas");
        BoundingBox cb = canvas.boundingBox();
        drag(page, cb, 0.2, 0.55, 0.8, 0.6, 15);
        drag(page, cb, 0.2, 0.75, 0.8, 0.8, 15);
        int masked = ((Number) page.evaluate("() => state.inpaint.mask.reduce((a, b) => a + b, 0)")).intValue();
        assertThat(masked).isGreaterThan(10);
        assertThat(canvasData(page, "inpaint-canvas")).isNotEqualTo(unmasked);
        page.click("#inpaint-fill");
        page.waitForSelector("#inpaint-filled img", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForFunction("() => { const i = document.querySelector('#inpaint-filled img'); return i.complete && i.naturalWidth === 16; }");
        assertThat(page.locator("#inpaint-info").textContent()).contains(masked + " pixels filled");
        page.locator("#inpaint-section").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("04-inpaint.png")));
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("05-full.png")).setFullPage(true));

        assertThat(page.locator("#status").textContent()).isEmpty();
        assertThat(page.locator("#label-bar").isHidden()).as("an unconditional model has no label picker").isTrue();
        assertThat(page.locator(".reason").count()).as("a VAE serves every panel").isZero();
        assertThat(consoleErrors).isEmpty();
        page.close();
    }

    @Test
    void thePageSaysWhatItServesAndStartsFilled() {
        List<String> errors = new ArrayList<>();
        Page page = open(twenty, errors);
        // the prior-samples panel is filled at load, without a click
        assertThat(page.locator("#samples img").count()).isEqualTo(16);
        page.waitForFunction("() => [...document.querySelectorAll('#samples img')].every(i => i.complete && i.naturalWidth === 16)");
        // inpainting defaults to latent optimisation, as the CLI does
        assertThat(page.locator("#inpaint-method").inputValue()).isEqualTo("optimize");
        // how many test records are served, of how many
        assertThat(page.locator("#model-name").textContent()).contains("20 of 60 test records served (serve --records N for more)");
        assertThat(page.locator("#record-index").getAttribute("max")).isEqualTo("19");
        // a Bernoulli model's card shows no σ
        assertThat(page.locator("#config-table").textContent()).contains("bernoulli").doesNotContain("sigma");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("10-served.png")).setFullPage(true));
        // the API page's examples are addressed to this server and give a code of the model's length
        page.navigate(twenty.base() + "/api");
        String examples = page.locator("pre").textContent();
        assertThat(examples).contains("curl -s 127.0.0.1:" + twenty.server.port() + "/api/info")
                .contains("{\"z\":[0,0,0],").doesNotContain("7070").doesNotContain("{{");
        assertThat(errors).isEmpty();
        page.close();
    }

    @Test
    void aConditionalModelGetsALabelPicker() {
        List<String> errors = new ArrayList<>();
        Page page = open(cvae, errors);
        page.waitForFunction("() => Number(document.getElementById('decoded').dataset.version || 0) >= 1");
        page.waitForFunction("() => !state.decode.inFlight && !state.decode.pending");
        int[] labels = TestServer.data().test().labels();
        List<String> names = List.of("square", "ellipse", "heart");
        assertThat(page.locator("#label-bar").isVisible()).isTrue();
        assertThat(page.locator("#label-picker option").allTextContents()).containsExactlyElementsOf(names);
        // record 0 was encoded given its own label, and the picker shows it
        assertThat(page.locator("#label-picker").inputValue()).isEqualTo(Integer.toString(labels[0]));
        assertThat(page.locator("#model-name").textContent()).contains("cvae");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("07-cvae-loaded.png")).setFullPage(true));

        // another class for the same code: the decoded image changes
        String before = canvasData(page, "decoded");
        int version = Integer.parseInt(page.locator("#decoded").getAttribute("data-version"));
        int other = (labels[0] + 1) % 3;
        page.selectOption("#label-picker", Integer.toString(other));
        page.waitForFunction("v => Number(document.getElementById('decoded').dataset.version) > v", version);
        page.waitForFunction("() => !state.decode.inFlight && !state.decode.pending");
        assertThat(canvasData(page, "decoded")).isNotEqualTo(before);
        assertThat(page.evaluate("() => state.label")).isEqualTo(other);

        // samples of the picked class
        page.fill("#sample-n", "8");
        page.click("#sample");
        page.waitForFunction("() => document.querySelectorAll('#samples img').length === 8 "
                + "&& [...document.querySelectorAll('#samples img')].every(i => i.complete && i.naturalWidth === 16)");
        assertThat(page.locator("#sample-info").textContent()).startsWith("Class " + names.get(other) + ".");

        // traversal within the picked class
        page.click("#traverse");
        page.waitForFunction("() => document.querySelectorAll('#traversal .trav-row').length === 3");

        // two points on the map: the strip runs within the class of the last one clicked
        int b = 1;
        while (labels[b] != labels[0]) {
            b++;
        }
        clickMapPoint(page, 0);
        page.waitForFunction("() => state.picks.length === 1");
        clickMapPoint(page, b);
        page.waitForFunction("() => document.querySelectorAll('#interp img').length === 10");
        assertThat(page.locator("#interp-info").textContent()).endsWith("within class " + names.get(labels[b]));
        assertThat(page.locator("#label-picker").inputValue()).isEqualTo(Integer.toString(labels[b]));
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("08-cvae-picker.png")).setFullPage(true));

        assertThat(page.locator(".reason").count()).isZero();
        assertThat(page.locator("#status").textContent()).isEmpty();
        assertThat(errors).isEmpty();
        page.close();
    }

    @Test
    void panelsAModelCannotServeAreAbsentWithTheServersReason() {
        List<String> errors = new ArrayList<>();
        Page page = open(decoderOnly, errors);
        page.waitForFunction("() => Number(document.getElementById('decoded').dataset.version || 0) >= 1");
        String cannot = "a 'test-decoder-only' model cannot encode records";
        assertThat(page.locator("#map-section .reason").textContent()).isEqualTo("latent map: " + cannot);
        assertThat(page.locator("#inpaint-section .reason").textContent()).isEqualTo("inpainting: " + cannot);
        assertThat(page.locator("#map").isHidden()).isTrue();
        assertThat(page.locator("#inpaint-canvas").isHidden()).isTrue();
        assertThat(page.locator("#reset").isHidden()).isTrue();
        assertThat(page.locator("#upload").isHidden()).isTrue();
        assertThat(page.locator("#explorer .reason").allTextContents()).containsExactly("encoding records: " + cannot);
        assertThat(page.locator("#kl-bars").textContent()).isEqualTo("encoding records: " + cannot);
        // what the model can do is there and works
        assertThat(page.locator("#label-bar").isHidden()).isTrue();
        assertThat(page.locator("#traversal .trav-row").count()).isEqualTo(3);
        page.fill("#sample-n", "4");
        page.click("#sample");
        page.waitForFunction("() => document.querySelectorAll('#samples img').length === 4");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("09-decoder-only.png")).setFullPage(true));
        assertThat(page.locator("#status").textContent()).isEmpty();
        assertThat(errors).isEmpty();
        page.close();
    }

    /**
     * A trained GAN loaded from its run directory (whose metrics have no −ELBO: NaN in provenance.json): the page loads
     * without errors, the panels that need an encoder say why they are absent, and decoding, sampling and traversal work.
     */
    @Test
    void aGanLoadsWithItsEncoderPanelsAbsentAndItsGeneratorWorking() {
        List<String> errors = new ArrayList<>();
        Page page = open(gan, errors);
        page.waitForFunction("() => Number(document.getElementById('decoded').dataset.version || 0) >= 1");
        String cannot = "a 'gan' model cannot encode records";
        assertThat(page.locator("#map-section .reason").textContent()).isEqualTo("latent map: " + cannot);
        assertThat(page.locator("#inpaint-section .reason").textContent()).isEqualTo("inpainting: " + cannot);
        assertThat(page.locator("#map").isHidden()).isTrue();
        assertThat(page.locator("#upload").isHidden()).isTrue();
        assertThat(page.locator("#explorer .reason").allTextContents()).containsExactly("encoding records: " + cannot);
        assertThat(page.locator("#traversal .trav-row").count()).isEqualTo(3);
        page.fill("#sample-n", "4");
        page.click("#sample");
        page.waitForFunction("() => document.querySelectorAll('#samples img').length === 4");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("10-gan.png")).setFullPage(true));
        assertThat(page.content()).contains("gan");
        assertThat(page.locator("#status").textContent()).isEmpty();
        assertThat(errors).isEmpty();
        page.close();
    }

    @Test
    void theApiPageDocumentsEveryEndpoint() {
        Page page = browser.newPage();
        page.navigate(s.base() + "/api");
        String text = page.textContent("body");
        for (String e : List.of("/api/info", "/api/decode", "/api/encode", "/api/sample", "/api/interpolate", "/api/traverse",
                "/api/inpaint", "/api/map", "/api/record", "/api/stats")) {
            assertThat(text).contains(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("06-api.png")).setFullPage(true));
        page.close();
    }
}

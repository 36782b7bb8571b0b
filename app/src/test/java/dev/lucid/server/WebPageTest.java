package dev.lucid.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.lucid.Lucid;
import dev.lucid.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser (Debian's Chromium, headless, driven by Playwright): upload the shipped sample,
 * wait for the result, move the before/after slider, zoom, download, and compare the download with what
 * {@code lucid denoise} writes. Screenshots go to target/web-page/ for a person to look at.
 */
class WebPageTest {

    @TempDir Path dir;

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SAMPLE = Path.of("../samples/test-card-noisy.png");
    static final Path SHOTS = Path.of("target/web-page");

    @Test
    void uploadRestoreCompareZoomAndDownloadInChromium() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "the browser test needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)");
        Files.createDirectories(SHOTS);
        Path expected = dir.resolve("expected.png");
        try (var r = Lucid.load(Lucid.DEFAULT_MODEL)) {
            ImageFiles.write(r.restore(ImageFiles.read(SAMPLE)), expected);
        }
        try (LucidServer server = new LucidServer(new ServerSettings("127.0.0.1", 0, 1, 2, 50 << 20, 50_000_000, Duration.ofMinutes(5),
                Duration.ofMinutes(5), null, dir.resolve("spool")), List.of());
             Playwright pw = Playwright.create();
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true))) {
            String base = "http://127.0.0.1:" + server.start() + "/";
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 900).setAcceptDownloads(true))) {
                Page page = context.newPage();
                page.navigate(base);
                page.waitForSelector("#model option[value='" + Lucid.DEFAULT_MODEL + "']", new Page.WaitForSelectorOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
                page.setInputFiles("#file", SAMPLE);
                page.click("#go");
                page.waitForSelector("#download:not([hidden])", new Page.WaitForSelectorOptions().setTimeout(180_000));
                assertTrue(page.textContent("#status").startsWith("done in"), page.textContent("#status"));
                assertEquals("", page.textContent("#error"));
                page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("1-result.png")));

                String before = page.evaluate("() => document.getElementById('after').style.clipPath").toString();
                page.locator("#slider").fill("20");
                String after = page.evaluate("() => document.getElementById('after').style.clipPath").toString();
                assertNotEquals(before, after, "the slider moves the split");
                page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("2-slider.png")));

                String zoomBefore = page.evaluate("() => document.getElementById('after').style.transform").toString();
                page.hover("#view");
                page.mouse().wheel(0, -600);
                String zoomAfter = page.evaluate("() => document.getElementById('after').style.transform").toString();
                assertNotEquals(zoomBefore, zoomAfter, "the wheel zooms");
                assertEquals(zoomAfter, page.evaluate("() => document.getElementById('before').style.transform").toString(), "before and after zoom together");
                page.click("#one");
                assertTrue(page.evaluate("() => document.getElementById('after').style.transform").toString().contains("scale(1)"), "1:1 shows one image pixel per screen pixel");
                page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("3-zoom-1to1.png")));

                Download download = page.waitForDownload(() -> page.click("#download button"));
                Path saved = dir.resolve("downloaded.png");
                download.saveAs(saved);
                assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(saved), "the download is what lucid denoise writes");
            }
            try (BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true).setHasTouch(true))) {
                Page page = phone.newPage();
                page.navigate(base);
                page.setInputFiles("#file", Path.of("pom.xml"));
                page.click("#go");
                page.waitForFunction("() => document.getElementById('error').textContent.length > 0", null, new Page.WaitForFunctionOptions().setTimeout(30_000));
                assertTrue(page.textContent("#error").contains("is not an image"), page.textContent("#error"));
                page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("4-phone-error.png")).setFullPage(true));
            }
        }
    }
}

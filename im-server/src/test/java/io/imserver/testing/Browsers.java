package io.imserver.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium windows for the page tests, each with a profile of its own, driven through Debian's
 * {@code /usr/bin/chromedriver}; {@link #close()} quits them and deletes the profiles. Missing Chromium fails the
 * test (it does not skip).
 */
public final class Browsers implements AutoCloseable {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    /** @throws AssertionError naming the package to install when Chromium or its driver is missing */
    public Browsers() {
        for (var binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(binary).canExecute()) {
                throw new AssertionError(binary + " is missing: the page tests need real Chromium. Install it with"
                        + " 'apt-get install -y chromium chromium-driver'");
            }
        }
    }

    /** A new window of {@code width} x {@code height}, with a fresh profile. */
    public WebDriver open(int width, int height) {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        profiles.add(profile);
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        var driver = new ChromeDriver(service, options);
        drivers.add(driver);
        return driver;
    }

    @Override
    public void close() {
        for (var driver : drivers) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                // best effort: the next driver must still be quit
            }
        }
        for (var profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp dir is harmless
            }
        }
    }
}

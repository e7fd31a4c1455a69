package dev.sluice.deploy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Debian Chromium driven through ChromeDriver's W3C WebDriver HTTP API: a real browser for page tests, with
 * no test tool that downloads a browser of its own (that cannot work here). Only what the tests use.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final Path profile;
  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  private Browser(Process driver, Path profile, String base) {
    this.driver = driver;
    this.profile = profile;
    this.base = base;
  }

  /** Whether this machine has the Debian chromium and chromium-driver packages (.ci/run installs them). */
  public static boolean available() {
    return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
  }

  public static Browser start() throws Exception {
    int port = FreePorts.pick();
    Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    Path profile = Files.createTempDirectory("sluice-chromium");
    Browser b = new Browser(driver, profile, "http://127.0.0.1:" + port);
    try {
      Eventually.await("chromedriver on " + port, Duration.ofSeconds(20),
          () -> b.call("GET", "/status", null).getJsonObject("value").getBoolean("ready", false)
              ? Optional.of(true) : Optional.empty());
      JsonObject options = new JsonObject()
          .put("binary", CHROMIUM.toString())
          .put("args", new JsonArray(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--window-size=1400,1000", "--user-data-dir=" + profile)));
      JsonObject caps = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch",
          new JsonObject().put("browserName", "chrome").put("goog:chromeOptions", options)));
      String session = b.call("POST", "/session", caps).getJsonObject("value").getString("sessionId");
      return b.withSession(session);
    } catch (Exception e) {
      driver.destroyForcibly();
      throw e;
    }
  }

  private String session;

  private Browser withSession(String id) {
    this.session = id;
    return this;
  }

  public void open(String url) {
    call("POST", "/session/" + session + "/url", new JsonObject().put("url", url));
  }

  /** The first element matching the CSS selector, once it exists. */
  /**
   * The text of the element matching {@code css} once {@code accept} holds for it, within {@code wait}. The element is
   * found again on every poll: a page that re-renders replaces it, and a stale one counts as not there yet.
   */
  public String awaitText(String css, String what, Duration wait, java.util.function.Predicate<String> accept) {
    return Eventually.await(what + " (" + css + ")", wait, () -> {
      try {
        String text = text(find(css));
        return text != null && accept.test(text) ? Optional.of(text) : Optional.empty();
      } catch (IllegalStateException stale) {
        return Optional.empty();
      }
    });
  }

  public String find(String css) {
    return Eventually.await("element " + css, Duration.ofSeconds(20), () -> {
      JsonObject r = call("POST", "/session/" + session + "/element",
          new JsonObject().put("using", "css selector").put("value", css));
      JsonObject v = r.getJsonObject("value");
      return v != null && v.containsKey(ELEMENT) ? Optional.of(v.getString(ELEMENT)) : Optional.empty();
    });
  }

  public void click(String element) {
    call("POST", "/session/" + session + "/element/" + element + "/click", new JsonObject());
  }

  public String text(String element) {
    return call("GET", "/session/" + session + "/element/" + element + "/text", null).getString("value");
  }

  public String attribute(String element, String name) {
    return call("GET", "/session/" + session + "/element/" + element + "/attribute/" + name, null).getString("value");
  }

  /** Replaces a text field's content as a user would: clear it, then type. */
  public void type(String element, String text) {
    call("POST", "/session/" + session + "/element/" + element + "/clear", new JsonObject());
    call("POST", "/session/" + session + "/element/" + element + "/value", new JsonObject().put("text", text));
  }

  /**
   * Signs in to the console through its form, as a user would, and waits until the browser has left the form (the
   * console sends it on to {@code next}, the page that was asked for).
   */
  public void signIn(String consoleUrl, String next, String user, String password) {
    open(consoleUrl + "/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
    type(find("[data-testid=login-username]"), user);
    type(find("[data-testid=login-password]"), password);
    click(find("[data-testid=login-submit]"));
    Eventually.await("signed in as " + user, Duration.ofSeconds(20),
        () -> currentUrl().contains("/login") ? Optional.empty() : Optional.of(true));
  }

  public String currentUrl() {
    return call("GET", "/session/" + session + "/url", null).getString("value");
  }

  /** The text of the open alert/confirm/prompt dialog, if one is open. */
  public Optional<String> alertText() {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/session/" + session + "/alert/text"))
        .timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      // 404 "no such alert" when none is open.
      return r.statusCode() == 200 ? Optional.ofNullable(new JsonObject(r.body()).getString("value")) : Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Saves what the page shows now as a PNG (the window is 1400x1000), creating the folder if need be. */
  public Path screenshot(Path file) throws IOException {
    String png = call("GET", "/session/" + session + "/screenshot", null).getString("value");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, java.util.Base64.getDecoder().decode(png));
    return file;
  }

  /** Runs a script in the page and returns its result (for checks no element query can make). */
  public Object script(String body) {
    return call("POST", "/session/" + session + "/execute/sync",
        new JsonObject().put("script", body).put("args", new JsonArray())).getValue("value");
  }

  private JsonObject call(String method, String path, JsonObject body) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    req = body == null ? req.method(method, HttpRequest.BodyPublishers.noBody())
        : req.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      JsonObject json = new JsonObject(r.body());
      if (r.statusCode() >= 400 && !(r.statusCode() == 404 && path.endsWith("/element"))) {
        throw new IllegalStateException("WebDriver " + method + " " + path + " -> " + r.statusCode() + ": " + r.body());
      }
      return json;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (session != null) {
        call("DELETE", "/session/" + session, null);
      }
    } finally {
      driver.destroy();
      if (!driver.waitFor(10, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
      dev.sluice.deploy.engine.DataDirs.wipe(profile);
    }
  }
}

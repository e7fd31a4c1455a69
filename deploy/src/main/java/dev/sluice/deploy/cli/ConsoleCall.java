package dev.sluice.deploy.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a command-line tool talks to the console's API: the bearer token from {@value #TOKEN_ENV} (or a dev token,
 * which only {@code ./sluice dev} accepts), one request, and its answer printed on success or its problem's title and
 * detail on refusal.
 */
final class ConsoleCall {
  static final String DEFAULT_CONSOLE = "http://127.0.0.1:8081";
  static final String TOKEN_ENV = "SLUICE_CONSOLE_TOKEN";
  static final int OK = 0;
  static final int REFUSED = 1;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, String> env;
  private final PrintStream err;
  private final String devToken;

  /** @param devToken the token used when {@value #TOKEN_ENV} is unset: a dev user's, with the role the tool needs */
  ConsoleCall(Map<String, String> env, PrintStream err, String devToken) {
    this.env = env;
    this.err = err;
    this.devToken = devToken;
  }

  /** {@code console} without a trailing slash, checked to be an http(s) URL. */
  static String console(String console) {
    String c = console.endsWith("/") ? console.substring(0, console.length() - 1) : console;
    try {
      URI uri = URI.create(c);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("--console must be an http(s) URL, e.g. " + DEFAULT_CONSOLE);
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--console must be an http(s) URL, e.g. " + DEFAULT_CONSOLE);
    }
  }

  /** Sends {@code request} with the token; prints the answer with {@code print}, or the refusal. The exit status. */
  int send(String console, HttpRequest.Builder request, Consumer<JsonObject> print) {
    String token = Optional.ofNullable(env.get(TOKEN_ENV)).filter(t -> !t.isBlank()).orElse(devToken);
    HttpResponse<String> response;
    try {
      response = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("cannot reach the console at " + console + ": " + e);
      return REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return REFUSED;
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (DecodeException | ClassCastException notAnObject) {
      body = new JsonObject();
    }
    if (response.statusCode() / 100 == 2) {
      print.accept(body);
      return OK;
    }
    err.println("refused (" + response.statusCode() + " " + body.getString("title", "no problem document") + "): "
        + body.getString("detail", response.body()));
    return REFUSED;
  }
}

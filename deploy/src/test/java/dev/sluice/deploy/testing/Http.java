package dev.sluice.deploy.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking HTTP client for tests (tests run on their own threads, never on an event loop). */
public final class Http {
  /** The documented dev key that may post to every stream. */
  public static final String DEV_PRODUCER = "dev-producer";
  /** The documented dev key for registry and stream administration; in the console, the dev admin's token. */
  public static final String DEV_ADMIN = "dev-admin";
  /** The console's documented dev tokens (read only, masked; edit and redrive). */
  public static final String DEV_VIEWER = "dev-viewer";
  public static final String DEV_OPERATOR = "dev-operator";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String bearer;

  /** Sends no credentials. */
  public Http() {
    this(null);
  }

  private Http(String bearer) {
    this.bearer = bearer;
  }

  /** Sends {@code Authorization: Bearer <token>} on every request. */
  public static Http withKey(String token) {
    return new Http(token);
  }

  /** Authenticated as the dev producer: what a test that posts events through the gateway uses. */
  public static Http producer() {
    return withKey(DEV_PRODUCER);
  }

  /** Authenticated to the console as its dev operator (the name its audit trail records: {@value #DEV_OPERATOR}). */
  public static Http operator() {
    return withKey(DEV_OPERATOR);
  }

  /** Authenticated to the console as its dev viewer: read only, sensitive fields masked. */
  public static Http viewer() {
    return withKey(DEV_VIEWER);
  }

  /** A response with its body as text, and as JSON when it is JSON. */
  public record Response(int status, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Response get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  public Response post(String url, String contentType, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  private Response send(HttpRequest.Builder b) {
    if (bearer != null) {
      b.setHeader("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.sluice.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the OpenAPI 3 description of the ingress and registry API, read once from the jar. */
public final class OpenApiHandler implements Handler<RoutingContext> {
  public static final String RESOURCE = "sluice/openapi.json";

  /** Read once per class load, not per verticle instance, and never on an event loop's request path. */
  private static final byte[] DOCUMENT = read();

  private final Buffer document = Buffer.buffer(DOCUMENT);

  /** The document's text, as served (a fresh read of the resource). */
  public static byte[] read() {
    try (InputStream in = OpenApiHandler.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }
}

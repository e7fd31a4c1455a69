package dev.sluice.loadtests.ingest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Where and how the generator posts: {@code POST http://127.0.0.1:port/v1/streams/<stream>/events} with the given
 * content type and always {@code Authorization: Bearer <key>}, so the same requests work against a gateway that checks
 * API keys and one that does not.
 *
 * @param name how the report names the server
 * @param port its HTTP port on 127.0.0.1
 * @param apiKey the producer API key sent as a bearer token
 * @param stream the stream posted to ({@code retail} unless a suite defines streams of its own)
 */
public record HttpTarget(String name, int port, String apiKey, String stream) {
  /** A target posting to the {@code retail} stream, as the ingest benchmark does. */
  public HttpTarget(String name, int port, String apiKey) {
    this(name, port, apiKey, ProductEvents.STREAM);
  }

  /** No request may hang the run: the gateway answers within its append timeout (10 s by default). */
  static final long REQUEST_TIMEOUT_MS = 30_000;

  /** Posts one body and reads the whole answer (so the keep-alive connection is free again); yields the status. */
  public Future<Answer> post(HttpClientAgent client, String contentType, String body) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(path())
        .setIdleTimeout(REQUEST_TIMEOUT_MS)
        .putHeader("Content-Type", contentType)
        .putHeader("Authorization", "Bearer " + apiKey);
    return client.request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b)));
  }

  /** {@code /v1/streams/<stream>/events}. */
  public String path() {
    return "/v1/streams/" + stream + "/events";
  }

  /** A status and the answer's body (kept small: only probes look at it). */
  public record Answer(int status, Buffer body) {
    public boolean accepted() {
      return status >= 200 && status < 300;
    }
  }
}

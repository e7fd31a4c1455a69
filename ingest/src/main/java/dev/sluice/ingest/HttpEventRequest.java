package dev.sluice.ingest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the reader needs from one HTTP request, free of any HTTP server types so that conversion is testable alone.
 *
 * @param contentType the Content-Type header, or null if absent
 * @param headers every request header as name/value pairs, names in any case (a Vert.x {@code MultiMap} fits as is)
 * @param body the whole request body, already bounded by the configured limit
 */
public record HttpEventRequest(String contentType, Iterable<Map.Entry<String, String>> headers, byte[] body) {
  public HttpEventRequest {
    headers = headers == null ? List.of() : headers;
    body = body == null ? new byte[0] : body;
  }

  public static HttpEventRequest of(String contentType, Map<String, String> headers, String body) {
    Objects.requireNonNull(headers, "headers");
    return new HttpEventRequest(
        contentType, List.copyOf(headers.entrySet()), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}

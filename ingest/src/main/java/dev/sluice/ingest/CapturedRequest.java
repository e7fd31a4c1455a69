package dev.sluice.ingest;

import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import dev.sluice.schemas.event.KafkaHeader;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the gateway refused and kept for operators (an ingress quarantine item: the HTTP body as its payload, the
 * HTTP request headers the capture keeps as its headers), read again exactly as ingest reads a request, possibly with
 * an operator's data in place of the producer's. Replacement data swaps only the data: the envelope stays as the
 * producer sent it. In binary mode the body, which is the data, is then not read at all, so a body that is not JSON
 * can be fixed this way; in structured mode the envelope is the body, so a body that is not one JSON object cannot.
 */
public final class CapturedRequest {
  /** The limits of a gateway that runs with the defaults: what a console that does not know them reads with. */
  private static final CloudEventHttpReader DEFAULT_READER = new CloudEventHttpReader();
  private static final String CONTENT_TYPE = "content-type";
  private static final String SPECVERSION_HEADER = CloudEventHttpReader.HEADER_PREFIX + "specversion";

  private final HttpEventRequest request;
  private final Optional<String> replacementData;

  /**
   * @param headers the HTTP request headers as captured (lower-case names); the last {@code content-type} is the
   *     request's, a header without a value is left out
   * @param body the HTTP body as captured (empty when it was too large to keep)
   * @param replacementData JSON that replaces the event's data, or empty to keep the producer's
   */
  public CapturedRequest(List<KafkaHeader> headers, byte[] body, Optional<String> replacementData) {
    Objects.requireNonNull(headers, "headers");
    this.replacementData = Objects.requireNonNull(replacementData, "replacementData");
    List<Map.Entry<String, String>> entries = new ArrayList<>(headers.size());
    String contentType = null;
    for (KafkaHeader h : headers) {
      String value = h.valueAsString();
      if (value == null) {
        continue;
      }
      entries.add(new AbstractMap.SimpleImmutableEntry<>(h.key(), value));
      if (h.key().equalsIgnoreCase(CONTENT_TYPE) && !value.isBlank()) {
        contentType = value.trim();
      }
    }
    this.request = new HttpEventRequest(contentType, List.copyOf(entries), body);
  }

  /**
   * The captured request as the console shows it: read as sent, before the CloudEvents rules, with the default
   * limits.
   */
  public static Outcome<ReadEvent> decode(List<KafkaHeader> headers, byte[] body) {
    return new CapturedRequest(headers, body, Optional.empty()).decode(DEFAULT_READER);
  }

  /** The request as the gateway received it (as far as the capture kept it). */
  public HttpEventRequest request() {
    return request;
  }

  /** Read as sent, with the replacement data if any, before the CloudEvents rules. */
  public Outcome<ReadEvent> decode(CloudEventHttpReader reader) {
    return reader.decode(request, replacementData);
  }

  /**
   * The event ingest would go on with. A request that cannot be read is {@link Rejection.Unreadable}, saying what
   * the reader found and whether replacement data can help; broken attributes stay
   * {@link Rejection.InvalidAttributes}, which only the producer can fix.
   */
  public Outcome<CloudEvent> read(CloudEventHttpReader reader) {
    return read(reader, UnaryOperator.identity());
  }

  /** As {@link #read(CloudEventHttpReader)}, with the reader's refusal restated by {@code cause} before it is told. */
  public Outcome<CloudEvent> read(CloudEventHttpReader reader, UnaryOperator<Rejection> cause) {
    return decode(reader).fold(ReadEvent::checked, c -> Outcome.rejected(unreadable(cause.apply(c))));
  }

  private Rejection unreadable(Rejection cause) {
    return new Rejection.Unreadable("the captured request cannot be read as a CloudEvent: " + cause.detail() + hint(),
        cause.violations());
  }

  /** Whether replacement data could make the request readable: only where the body is the data alone. */
  private String hint() {
    String media = CloudEventHttpReader.baseMediaType(request.contentType());
    if (CloudEventHttpReader.isStructured(media)) {
      return "; in structured mode the body is the whole event, so replacement data cannot make it readable";
    }
    boolean binary = media != null && CloudEventChecks.isJsonContentType(media) && hasSpecversion();
    return binary && replacementData.isEmpty()
        ? "; in binary mode the body is the event's data: redrive it with replacement data, {\"data\": ...}"
        : "";
  }

  private boolean hasSpecversion() {
    for (Map.Entry<String, String> h : request.headers()) {
      if (h.getKey().equalsIgnoreCase(SPECVERSION_HEADER)) {
        return true;
      }
    }
    return false;
  }
}

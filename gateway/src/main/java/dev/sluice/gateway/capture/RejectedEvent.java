package dev.sluice.gateway.capture;

import dev.sluice.ingest.IngestProblem;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CapturedHeaders;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An ingest request that was refused for what it sent, kept so that an operator can see it, fix it and redrive it.
 *
 * @param stream the stream the request was posted to (a catalog stream: only those have a topic)
 * @param topic the stream's topic
 * @param type the CloudEvent type, if it could be read
 * @param eventId the CloudEvent id, if it could be read
 * @param source the CloudEvent source, if it could be read
 * @param body the request body as kept: as received, or without the values a schema marks sensitive
 *     ({@link SensitiveBody})
 * @param contentType the request's {@code Content-Type}, if any
 * @param headers the request headers, names lower-cased; only those {@link CapturedHeaders} allows are kept (an
 *     allow-list, so credentials under any name are dropped here and can never be stored)
 * @param reason why it was refused: one of {@link #CAPTURED_REASONS}
 * @param violations the violations, JSON pointers rooted at the event, if any
 * @param traceparent the W3C trace context of the request, if any
 * @param at when it was refused
 * @param withheld what was left out of {@code body}: nothing, the marked values, or the whole body
 */
public record RejectedEvent(
    String stream,
    String topic,
    String type,
    String eventId,
    String source,
    byte[] body,
    String contentType,
    Map<String, String> headers,
    IngestProblem reason,
    List<Violation> violations,
    String traceparent,
    Instant at,
    SensitiveBody.Withheld withheld) {
  /**
   * The rejections worth keeping: the producer sent something wrong that an operator can read, fix and redrive. Not
   * kept: an unknown stream (no topic to redrive to), a body over the limit (not read), a broker outage (the event
   * was fine; the client retries).
   */
  public static final Set<IngestProblem> CAPTURED_REASONS = Set.copyOf(EnumSet.of(
      IngestProblem.MALFORMED_JSON, IngestProblem.MALFORMED_DATA, IngestProblem.NOT_A_CLOUDEVENT,
      IngestProblem.INVALID_CLOUDEVENT, IngestProblem.UNSUPPORTED_MEDIA_TYPE, IngestProblem.TYPE_NOT_ACCEPTED,
      IngestProblem.SCHEMA_VIOLATION, IngestProblem.MISSING_PARTITION_KEY, IngestProblem.INVALID_UTF8,
      IngestProblem.DUPLICATE_KEY, IngestProblem.TRAILING_CONTENT, IngestProblem.UNSUPPORTED_DATASCHEMA,
      IngestProblem.UNKNOWN_SCHEMA_VERSION, IngestProblem.NO_SCHEMA,
      IngestProblem.PARTITION_KEY_EXTENSION_NOT_ALLOWED, IngestProblem.INVALID_DATA_SUBJECT));

  public RejectedEvent {
    Objects.requireNonNull(withheld, "withheld");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    if (!CAPTURED_REASONS.contains(reason)) {
      throw new IllegalArgumentException(reason + " rejections are not captured; see CAPTURED_REASONS");
    }
    body = body == null ? new byte[0] : body.clone();
    Map<String, String> kept = new TreeMap<>();
    if (headers != null) {
      headers.forEach((name, value) -> {
        String n = name.toLowerCase(Locale.ROOT);
        if (CapturedHeaders.kept(n) && value != null) {
          kept.put(n, value);
        }
      });
    }
    headers = Collections.unmodifiableMap(kept);
    violations = violations == null ? List.of() : List.copyOf(violations);
  }

  /** A copy: the record stays immutable. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** Size and fields, never the body or headers (they may hold personal data). */
  @Override
  public String toString() {
    return "RejectedEvent[stream=" + stream + ", type=" + type + ", id=" + eventId + ", reason=" + reason
        + ", bytes=" + body.length + ", withheld=" + withheld + ", violations=" + violations.size() + ", at=" + at
        + "]";
  }
}

package dev.sluice.ingest.admit;

import dev.sluice.schemas.event.KafkaHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The W3C Trace Context of a request ({@code traceparent}, and {@code tracestate} with it), to be carried on to Kafka
 * as record headers of the same names so that consumers continue the trace.
 *
 * <p>Per the W3C recommendation, an invalid {@code traceparent} is ignored, not refused: tracing is the caller's
 * business and must never cost them an event. {@code tracestate} travels only with a valid {@code traceparent}.
 */
public record TraceContext(String traceparent, String tracestate) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  /**
   * Longer tracestate values are dropped rather than forwarded. The recommendation asks to propagate at least 512
   * characters; this bound keeps the Kafka header small.
   */
  public static final int MAX_TRACESTATE_LENGTH = 512;

  private static final int TRACEPARENT_LENGTH = 55;

  /** The trace context of a request's headers (names in any case); empty when there is no valid traceparent. */
  public static Optional<TraceContext> fromHeaders(Iterable<Map.Entry<String, String>> headers) {
    String traceparent = null;
    int traceparents = 0;
    List<String> tracestate = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals(TRACEPARENT)) {
        traceparent = h.getValue();
        traceparents++;
      } else if (name.equals(TRACESTATE)) {
        tracestate.add(h.getValue());
      }
    }
    // Two traceparent headers: which one is meant is unknowable, so neither.
    if (traceparents != 1 || !isValidTraceparent(traceparent)) {
      return Optional.empty();
    }
    // Several tracestate headers are one list, joined with commas (RFC 9110 field combination).
    String state = String.join(",", tracestate).trim();
    boolean keepState = !state.isEmpty() && state.length() <= MAX_TRACESTATE_LENGTH && isPrintableAscii(state);
    return Optional.of(new TraceContext(traceparent.trim(), keepState ? state : null));
  }

  /**
   * {@code version "-" trace-id "-" parent-id "-" trace-flags}, lower-case hex: version 2, trace-id 32 (not all zero),
   * parent-id 16 (not all zero), flags 2. Version {@code ff} is invalid. A version above {@code 00} may carry more
   * fields after a further {@code -} (the recommendation's forward compatibility); version {@code 00} may not.
   */
  public static boolean isValidTraceparent(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim();
    if (v.length() < TRACEPARENT_LENGTH) {
      return false;
    }
    String version = v.substring(0, 2);
    if (!isLowerHex(version, 0, 2) || version.equals("ff")) {
      return false;
    }
    if (version.equals("00") ? v.length() != TRACEPARENT_LENGTH
        : v.length() > TRACEPARENT_LENGTH && v.charAt(TRACEPARENT_LENGTH) != '-') {
      return false;
    }
    return v.charAt(2) == '-' && v.charAt(35) == '-' && v.charAt(52) == '-'
        && isLowerHex(v, 3, 35) && !isAllZeros(v, 3, 35)
        && isLowerHex(v, 36, 52) && !isAllZeros(v, 36, 52)
        && isLowerHex(v, 53, 55);
  }

  /** The Kafka headers to add to the record. */
  public List<KafkaHeader> kafkaHeaders() {
    return tracestate == null
        ? List.of(KafkaHeader.of(TRACEPARENT, traceparent))
        : List.of(KafkaHeader.of(TRACEPARENT, traceparent), KafkaHeader.of(TRACESTATE, tracestate));
  }

  private static boolean isLowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllZeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}

package dev.sluice.schemas.event;

import java.util.Locale;
import java.util.Set;

/**
 * The HTTP request headers kept with an event the gateway refused, and shown with it in the console. An allow-list:
 * producers send credentials under many names ({@code Authorization}, {@code X-Api-Key}, {@code X-Amz-Security-Token},
 * a cookie, a vendor's own header), and a deny-list can never name them all. Kept are only the headers that say what
 * the event is and where it came from:
 *
 * <ul>
 *   <li>{@code content-type}: picks the content mode, and in binary mode is the data's content type; a redrive reads
 *       the event by it;
 *   <li>{@code ce-*}: the event's attributes in binary mode (what the gateway would have appended to Kafka);
 *   <li>{@code traceparent}, {@code tracestate}: the W3C trace context, which a redriven event carries on;
 *   <li>{@code user-agent}: which client sent it, so operators can tell producers apart.
 * </ul>
 *
 * <p>The gateway applies it when it captures a request; the console applies it again when it shows one, so items
 * captured before the list existed show no other header either.
 */
public final class CapturedHeaders {
  /** The CloudEvents HTTP binding's prefix of attribute headers in binary mode. */
  public static final String ATTRIBUTE_PREFIX = "ce-";
  /** The headers kept by name (lower case). */
  public static final Set<String> NAMED = Set.of("content-type", "traceparent", "tracestate", "user-agent");

  private CapturedHeaders() {}

  /** Whether a header of this name (any case) is kept. */
  public static boolean kept(String name) {
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return NAMED.contains(n) || (n.length() > ATTRIBUTE_PREFIX.length() && n.startsWith(ATTRIBUTE_PREFIX));
  }
}

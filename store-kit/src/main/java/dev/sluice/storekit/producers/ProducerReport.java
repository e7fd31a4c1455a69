package dev.sluice.storekit.producers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one gateway instance says, in one report, of the events one API key appended to one stream: how many in the
 * report's window (and so at what rate), how many since the instance started, and when the last one was. The key is
 * named by its configured name only, never by its token or hash: names are labels, not secrets.
 *
 * <p>Written by the gateway every report interval while the key posts to the stream (plus one report with no events
 * after it stops), read by the console's stream page ({@link ProducerTable} is the item's layout).
 *
 * @param stream the stream the events were appended to
 * @param keyName the configured name of the API key they were posted with
 * @param instance the gateway instance (process) that counted them: unique per process start
 * @param windowEvents events appended and acknowledged by the broker in the window that ends at {@code reportedAt}
 *     (duplicates answered from the dedup window are not appended, so not counted)
 * @param window the window's length: about the report interval, longer after reports that failed
 * @param interval how often the instance reports: a report older than {@value #LIVE_INTERVALS} intervals is from an
 *     instance that stopped reporting
 * @param totalEvents events counted by the instance since it started
 * @param lastSeen when the instance last counted an event of this key on this stream
 * @param reportedAt when the report was made: the end of its window
 */
public record ProducerReport(
    String stream, String keyName, String instance, long windowEvents, Duration window, Duration interval,
    long totalEvents, Instant lastSeen, Instant reportedAt) {
  /** How many report intervals a report stays current: two may be lost before an instance stops counting. */
  public static final int LIVE_INTERVALS = 3;

  public ProducerReport {
    named("stream", stream);
    named("keyName", keyName);
    named("instance", instance);
    if (keyName.indexOf(ProducerTable.SEPARATOR) >= 0) {
      // The item's range key is the key name, the separator, then the instance: a name must not contain it.
      throw new IllegalArgumentException("a key name must not contain '" + ProducerTable.SEPARATOR + "'");
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(reportedAt, "reportedAt");
    if (windowEvents < 0 || totalEvents < windowEvents) {
      throw new IllegalArgumentException("events must be at least 0, and the total at least the window's: "
          + windowEvents + " of " + totalEvents);
    }
    if (window.toMillis() < 1 || interval.toMillis() < 1) {
      throw new IllegalArgumentException("the window and the interval must be at least 1 ms");
    }
  }

  /** Events per second over the report's window. */
  public double ratePerSecond() {
    return windowEvents * 1000.0 / window.toMillis();
  }

  /**
   * Whether the report is current at {@code now}: made less than {@value #LIVE_INTERVALS} report intervals ago. An
   * instance that stopped (or cannot reach the table) leaves its last report behind; it no longer counts once stale.
   */
  public boolean liveAt(Instant now) {
    return now.isBefore(reportedAt.plus(interval.multipliedBy(LIVE_INTERVALS)));
  }

  private static void named(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}

package dev.sluice.console.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;

/**
 * Counts redrive requests by outcome ({@code sluice_console_redrive_requests_total{outcome=...}}). The label set is
 * bounded by {@link Outcome}: never an item id or a group name.
 */
public final class RedriveMetrics {
  public static final String REDRIVE_REQUESTS = "sluice.console.redrive.requests";

  /** How a redrive request ended. */
  public enum Outcome {
    /**
     * 202: the item is REDRIVEN and the request is on the group's queue, or (an ingress reject) its event is appended
     * to its stream.
     */
    ACCEPTED,
    /** 400/413/422: the request or its replacement data was rejected (or ingest would refuse the event). */
    INVALID,
    /** 409: the item was not QUARANTINED. */
    CONFLICT,
    /** 404: no such item. */
    NOT_FOUND,
    /** 5xx: a backing engine (DynamoDB, SQS, Kafka) could not be reached, or the console failed. */
    UNAVAILABLE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome an HTTP status stands for; kept next to the enum so the mapping lives in one place. */
    public static Outcome ofStatus(int status) {
      if (status >= 200 && status < 300) {
        return ACCEPTED;
      }
      if (status == 404) {
        return NOT_FOUND;
      }
      if (status == 409) {
        return CONFLICT;
      }
      return status >= 500 ? UNAVAILABLE : INVALID;
    }
  }

  private final Map<Outcome, Counter> counters;

  public RedriveMetrics(MeterRegistry registry) {
    counters = EnumCounters.register(registry, REDRIVE_REQUESTS,
        "Redrive requests made through the console, by outcome", Outcome.class, "outcome", Outcome::label);
  }

  public void record(Outcome outcome) {
    counters.get(outcome).increment();
  }
}

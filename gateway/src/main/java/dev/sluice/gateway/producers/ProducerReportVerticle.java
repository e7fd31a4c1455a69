package dev.sluice.gateway.producers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Every report interval, writes this gateway instance's {@link ProducerTally} to the producers table: one item per
 * (stream, API key name) that posted since its last report (and one more once it stopped), each conditional on not
 * being older than the item's report (see {@code ProducerReports}). One per gateway process, beside its gateway
 * verticles, which share the tally.
 *
 * <p>Threading: the timer and all state live on this verticle's context; the writes, blocking SDK calls, run on a
 * worker, one at a time in one worker call. The next report is scheduled only once the previous one finished, so a
 * slow table never piles up calls. A failed report never touches ingest: it is logged and counted in
 * {@code sluice_gateway_producer_reports_total{outcome="failed"}}, and its events go into the pair's next report
 * (whose window is that much longer). After {@value #GIVE_UP_AFTER} failures in a row a report stops: the table is
 * likely away, and each call would wait its whole timeout.
 */
public final class ProducerReportVerticle extends VerticleBase {
  /** Counted per item: {@code written}, {@code superseded} (a later report stood), {@code failed}. */
  public static final String REPORTS = "sluice.gateway.producer.reports";
  static final int GIVE_UP_AFTER = 3;

  private static final System.Logger LOG = System.getLogger(ProducerReportVerticle.class.getName());

  /**
   * @param tally what the gateway verticles count
   * @param writer where reports go
   * @param interval time between two reports
   * @param instance this gateway process among the others: unique per process start ({@link #newInstanceId})
   */
  public record Reporting(ProducerTally tally, ReportWriter writer, Duration interval, String instance) {
    public Reporting {
      Objects.requireNonNull(tally, "tally");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(instance, "instance");
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("the report interval must be positive, was " + interval);
      }
    }
  }

  private enum Outcome {
    WRITTEN, SUPERSEDED, FAILED
  }

  private final Reporting reporting;
  private final MeterRegistry meters;

  // Confined to the context.
  private ReportWindows windows;
  private boolean stopped;
  private long timerId = -1;
  private Future<Void> inFlight = Future.succeededFuture();

  public ProducerReportVerticle(Reporting reporting, MeterRegistry meters) {
    this.reporting = Objects.requireNonNull(reporting, "reporting");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /**
   * A fresh instance id: the {@code HOSTNAME} (a pod's name) when set, and a random suffix, so that a restarted
   * process is a new instance whose counts start again. No DNS lookup: safe on any thread.
   */
  public static String newInstanceId() {
    String host = System.getenv("HOSTNAME");
    String base = host == null || host.isBlank() ? "gateway" : host.strip().replace('#', '-');
    if (base.length() > 200) {
      base = base.substring(base.length() - 200);
    }
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public Future<?> start() {
    windows = new ReportWindows(reporting.tally(), reporting.instance(), reporting.interval());
    for (Outcome o : Outcome.values()) {
      counter(o);
    }
    schedule();
    return Future.succeededFuture();
  }

  /** Stops reporting: cancels the timer and waits for a report in progress. Counts since the last report are lost. */
  @Override
  public Future<?> stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    return inFlight;
  }

  private void schedule() {
    if (!stopped) {
      timerId = vertx.setTimer(reporting.interval().toMillis(), id -> {
        timerId = -1;
        if (!stopped) {
          report();
        }
      });
    }
  }

  /** On the context. */
  private void report() {
    Instant now = reporting.tally().clock().instant();
    List<ReportWindows.Due> due = windows.due(now);
    if (due.isEmpty()) {
      schedule();
      return;
    }
    inFlight = vertx.executeBlocking(() -> writeAll(due), false)
        .recover(err -> Future.succeededFuture(failedAll(due.size())))
        // executeBlocking completes on this context: the windows are touched here only.
        .map(outcomes -> {
          settle(due, outcomes);
          schedule();
          return null;
        });
  }

  /** On a worker. The outcome of each report, in order. */
  private List<Outcome> writeAll(List<ReportWindows.Due> due) {
    List<Outcome> outcomes = new ArrayList<>(due.size());
    int failedInARow = 0;
    RuntimeException first = null;
    for (ReportWindows.Due d : due) {
      if (failedInARow >= GIVE_UP_AFTER) {
        outcomes.add(Outcome.FAILED);
        continue;
      }
      try {
        outcomes.add(reporting.writer().write(d.report()) ? Outcome.WRITTEN : Outcome.SUPERSEDED);
        failedInARow = 0;
      } catch (RuntimeException e) {
        outcomes.add(Outcome.FAILED);
        failedInARow++;
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      LOG.log(System.Logger.Level.WARNING, "{0} of {1} producer reports were not written; they are tried again in "
              + "{2} ms: {3}", Long.toString(outcomes.stream().filter(o -> o == Outcome.FAILED).count()),
          Integer.toString(due.size()), Long.toString(reporting.interval().toMillis()), first.toString());
    }
    return outcomes;
  }

  private static List<Outcome> failedAll(int n) {
    return new ArrayList<>(Collections.nCopies(n, Outcome.FAILED));
  }

  /** On the context: a written (or superseded) report moves its pair's window on; a failed one leaves it. */
  private void settle(List<ReportWindows.Due> due, List<Outcome> outcomes) {
    for (int i = 0; i < due.size(); i++) {
      Outcome o = outcomes.get(i);
      if (o != Outcome.FAILED) {
        windows.written(due.get(i));
      }
      counter(o).increment();
    }
  }

  private Counter counter(Outcome o) {
    return Counter.builder(REPORTS)
        .description("Producer reports (one per stream and API key) written to the producers table, by outcome")
        .tag("outcome", o.name().toLowerCase(Locale.ROOT))
        .register(meters);
  }
}

package dev.sluice.console.jobs;

import dev.sluice.console.metrics.EnumCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk redrive job metrics, registered at zero on start so that rates and alerts see every series from the first
 * scrape: {@code sluice_console_redrive_jobs{state}} (jobs this console knows, by state: the ones it created,
 * resumed or controlled since it started) and {@code sluice_console_redrive_job_items_total{outcome}}. Labels come
 * from fixed enums only, never a job or item id.
 */
public final class JobMetrics {
  public static final String JOBS = "sluice.console.redrive.jobs";
  public static final String JOB_ITEMS = "sluice.console.redrive.job.items";

  /** What happened to one item of a job. */
  public enum ItemOutcome {
    SENT, SUCCEEDED, FAILED_AGAIN, SKIPPED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<ItemOutcome, Counter> items;
  private final Map<JobState, AtomicLong> jobs = new EnumMap<>(JobState.class);
  private final Map<String, JobState> known = new ConcurrentHashMap<>();

  public JobMetrics(MeterRegistry registry) {
    items = EnumCounters.register(registry, JOB_ITEMS, "Items handled by bulk redrive jobs, by outcome",
        ItemOutcome.class, "outcome", ItemOutcome::label);
    for (JobState s : JobState.values()) {
      AtomicLong count = new AtomicLong();
      jobs.put(s, count);
      Gauge.builder(JOBS, count, AtomicLong::get)
          .description("Bulk redrive jobs known to this console, by state")
          .tag("state", s.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  public void items(ItemOutcome outcome, long n) {
    if (n > 0) {
      items.get(outcome).increment(n);
    }
  }

  /** Records a job's current state. */
  public synchronized void job(String id, JobState state) {
    JobState before = known.put(id, state);
    if (before != state) {
      if (before != null) {
        jobs.get(before).decrementAndGet();
      }
      jobs.get(state).incrementAndGet();
    }
  }
}

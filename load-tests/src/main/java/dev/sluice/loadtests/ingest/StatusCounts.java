package dev.sluice.loadtests.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Answers by HTTP status, plus transport failures (with the first failure's text), counted from any thread. */
public final class StatusCounts {
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final LongAdder failures = new LongAdder();
  private volatile String firstFailure;

  public void status(int status) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  public void failure(Throwable t) {
    failures.increment();
    if (firstFailure == null) {
      firstFailure = t.getClass().getSimpleName() + ": " + t.getMessage();
    }
  }

  /** E.g. {@code 202 x 1200, 503 x 3, 2 transport failures (first: ...)}; empty when nothing was counted. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(byStatus).forEach((status, n) -> {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(status).append(" x ").append(n.sum());
    });
    long f = failures.sum();
    if (f > 0) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(f).append(" transport failures (first: ").append(firstFailure).append(')');
    }
    return b.toString();
  }

  /** Answers that were not 2xx, transport failures included. */
  public long notAccepted() {
    long n = failures.sum();
    for (Map.Entry<Integer, LongAdder> e : byStatus.entrySet()) {
      if (e.getKey() < 200 || e.getKey() >= 300) {
        n += e.getValue().sum();
      }
    }
    return n;
  }
}

package dev.sluice.quarantine.storm;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest judged records of one partition, as the storm breaker counts them: for each, the fingerprint id it failed
 * with, or none when it was handled. Says when one fingerprint trips the breaker ({@link StormBreaker#trips}). Pure
 * bookkeeping: no clock, no I/O; confined to the partition's worker.
 */
public final class StormWindow {
  private final StormBreaker rule;
  /** A ring of the last {@code window} judgements: a fingerprint id, or null for a record handled. */
  private final String[] ring;
  private final Map<String, Integer> failures = new HashMap<>();
  private int next;
  private int size;

  public StormWindow(StormBreaker rule) {
    this.rule = rule;
    this.ring = new String[rule.enabled() ? rule.window() : 0];
  }

  /** A record was handled. */
  public void passed() {
    push(null);
  }

  /**
   * A record failed with {@code fingerprint}: true if the breaker trips now. A record that trips it is counted (the
   * counts say so); one that would fail with a fingerprint already tripped is not judged at all.
   */
  public boolean failed(String fingerprint) {
    push(fingerprint);
    return rule.trips(failures(fingerprint), size);
  }

  /** Records of the window that failed with {@code fingerprint}. */
  public int failures(String fingerprint) {
    return failures.getOrDefault(fingerprint, 0);
  }

  /** Records judged in the window: up to its length. */
  public int size() {
    return size;
  }

  /** Forgets every record judged: the breaker starts over with a fresh window (after a resume). */
  public void reset() {
    java.util.Arrays.fill(ring, null);
    failures.clear();
    next = 0;
    size = 0;
  }

  private void push(String judgement) {
    if (ring.length == 0) {
      return;
    }
    if (size == ring.length) {
      String out = ring[next];
      if (out != null) {
        failures.computeIfPresent(out, (k, n) -> n == 1 ? null : n - 1);
      }
    } else {
      size++;
    }
    ring[next] = judgement;
    next = (next + 1) % ring.length;
    if (judgement != null) {
      failures.merge(judgement, 1, Integer::sum);
    }
  }
}

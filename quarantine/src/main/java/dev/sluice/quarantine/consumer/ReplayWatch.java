package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.replay.Replay;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * What this instance saw of its group's replay, for the replay's item: how many events of history it read from Kafka
 * and how many of those it diverted to the quarantine store (quarantined or parked), which the halt rule judges on
 * the group's totals, and the record time of the last replayed event it finished on each partition. Counted since this
 * instance started, under an id of its own, so that the instances of a group never overwrite each other's counts and
 * a restarted instance adds to the total rather than resetting it. Counts of an earlier replay of the group are
 * dropped when the next one is seen.
 *
 * <p>Confined to the consumer's Vert.x context.
 */
final class ReplayWatch {
  /** What to write to the replay's item. */
  record Report(String instance, Replay.Tally tally, Map<Integer, Instant> timeReached) {}

  private final String instance;
  private String replayId = "";
  private long read;
  private long diverted;
  private final Map<Integer, Instant> timeReached = new HashMap<>();
  private boolean unreported;

  ReplayWatch() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    this.instance = HexFormat.of().formatHex(bytes);
  }

  /** An event of history of replay {@code id} was read from Kafka; {@code divertedToStore} if it became an item. */
  void read(String id, boolean divertedToStore) {
    of(id);
    read++;
    if (divertedToStore) {
      diverted++;
    }
    unreported = true;
  }

  /** A replayed event of {@code partition}, with record time {@code at}, was finished (handled or diverted). */
  void finished(String id, int partition, Instant at) {
    of(id);
    timeReached.merge(partition, at, (a, b) -> a.isAfter(b) ? a : b);
    unreported = true;
  }

  /** What is new for replay {@code id} since the last report, if anything. */
  Optional<Report> unreported(String id) {
    if (!unreported || !replayId.equals(id)) {
      return Optional.empty();
    }
    return Optional.of(new Report(instance, new Replay.Tally(read, diverted), Map.copyOf(timeReached)));
  }

  /** {@code report} is written: nothing new until the next count. */
  void reported(Report report) {
    if (report.tally().equals(new Replay.Tally(read, diverted)) && report.timeReached().equals(timeReached)) {
      unreported = false;
    }
  }

  private void of(String id) {
    if (!replayId.equals(id)) {
      replayId = id;
      read = 0;
      diverted = 0;
      timeReached.clear();
    }
  }
}

package dev.sluice.loadtests.sealing;

import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Subjects' keys made (or, when they exist, read) through a key ring before anything is timed, and left in its cache.
 * A window of {@value #IN_FLIGHT} at a time: the ring runs at most 16 key calls at once and fails a caller that waited
 * longer than its 2 s timeout, so asking for thousands at once would fail the ones at the back of the queue.
 */
final class PremadeKeys {
  static final int IN_FLIGHT = 64;

  private PremadeKeys() {}

  /** @throws IllegalStateException when a key could not be had (the key table or the KEK did not answer) */
  static void make(SubjectKeys keys, String stream, List<String> subjects) {
    for (int from = 0; from < subjects.size(); from += IN_FLIGHT) {
      List<Future<SubjectKey>> window = new ArrayList<>(IN_FLIGHT);
      for (String subject : subjects.subList(from, Math.min(subjects.size(), from + IN_FLIGHT))) {
        window.add(keys.forEncrypt(new SubjectRef(stream, subject)));
      }
      Progress.await(Future.all(window), 60);
    }
  }
}

package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.BareConsumer;
import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.quarantine.consumer.Triage;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the peers and the bare poll loop do with each record. Unless said otherwise, each first decodes and validates
 * the record exactly as the wrapper does before its handler runs ({@link BareConsumer#decoded}), so that the work per
 * record is the same on both sides of a comparison and the gap is the library's own.
 */
final class PeerHandlers {
  private PeerHandlers() {}

  /** Counts each record; nothing else is done with its bytes. */
  static Consumer<ConsumerRecord<byte[], byte[]>> countOnly(CountingHandler counter) {
    return r -> counter.call();
  }

  /** Decodes and validates, then counts each valid record. */
  static Consumer<ConsumerRecord<byte[], byte[]>> decodeAndCount(Triage triage, String group,
      CountingHandler counter) {
    return r -> BareConsumer.decoded(triage, group, r).ifPresent(e -> counter.call());
  }

  /** Decodes and validates, then blocks its thread for {@code wait} (Parallel Consumer's model), then counts. */
  static Consumer<ConsumerRecord<byte[], byte[]>> decodeWaitAndCount(Triage triage, String group, Duration wait,
      CountingHandler counter) {
    return r -> {
      BareConsumer.decoded(triage, group, r);
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting", e);
      }
      counter.call();
    };
  }

  /** Decodes and validates, then throws for the records {@link PoisonKeys} names poison and counts the others. */
  static Consumer<ConsumerRecord<byte[], byte[]>> decodeRejectingPoison(Triage triage, String group,
      CountingHandler counter) {
    return r -> {
      BareConsumer.decoded(triage, group, r);
      if (PoisonKeys.isPoison(r.key())) {
        throw new IllegalStateException("peers benchmark: poison by key");
      }
      counter.call();
    };
  }
}

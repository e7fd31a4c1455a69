package dev.sluice.crypto.testing;

import dev.sluice.crypto.keys.DekRow;
import dev.sluice.crypto.keys.Forgetting;
import dev.sluice.crypto.keys.KeyRows;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.keys.SwkRow;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Key rows in memory, with the same conditions as the key table (the DynamoDB table itself is tested against DynamoDB
 * Local in KeyTableIT). It counts the calls, can fail every call (an outage), and can hold reads of subject keys in a
 * hook, so a test decides when concurrent loads get past their read.
 */
public final class MemoryKeyRows implements KeyRows {
  private final Map<String, SwkRow> swks = new HashMap<>();
  private final Map<SubjectRef, DekRow> deks = new HashMap<>();
  public final AtomicInteger dekReads = new AtomicInteger();
  public final AtomicInteger dekWrites = new AtomicInteger();
  public final AtomicInteger dekWritesWon = new AtomicInteger();
  public final AtomicInteger swkWrites = new AtomicInteger();
  private volatile RuntimeException failure;
  private volatile Runnable beforeDekRead = () -> {};

  /** Every call throws {@code failure} from now on (null: none does). */
  public void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  /** Runs {@code hook} on the loading thread before each read of a subject key (outside any lock). */
  public void beforeDekRead(Runnable hook) {
    this.beforeDekRead = hook;
  }

  private void maybeFail() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  @Override
  public synchronized Optional<SwkRow> swk(String stream) {
    maybeFail();
    return Optional.ofNullable(swks.get(stream));
  }

  @Override
  public synchronized boolean createSwk(SwkRow row) {
    maybeFail();
    swkWrites.incrementAndGet();
    return swks.putIfAbsent(row.stream(), row) == null;
  }

  @Override
  public Optional<DekRow> dek(SubjectRef subject) {
    maybeFail();
    beforeDekRead.run();
    dekReads.incrementAndGet();
    synchronized (this) {
      return Optional.ofNullable(deks.get(subject));
    }
  }

  @Override
  public synchronized boolean createDek(DekRow row) {
    maybeFail();
    dekWrites.incrementAndGet();
    return won(deks.putIfAbsent(row.subject(), row) == null);
  }

  @Override
  public synchronized boolean recreateDek(DekRow row) {
    maybeFail();
    dekWrites.incrementAndGet();
    DekRow now = deks.get(row.subject());
    if (now == null || now.active() || now.generation() != row.generation() - 1) {
      return false;
    }
    deks.put(row.subject(), row);
    return won(true);
  }

  @Override
  public synchronized boolean forgetDek(SubjectRef subject, long generation, Forgetting forgetting) {
    maybeFail();
    dekWrites.incrementAndGet();
    DekRow now = deks.get(subject);
    if (now == null || !now.active() || now.generation() != generation) {
      return false;
    }
    deks.put(subject, now.forgottenBy(forgetting));
    return won(true);
  }

  private boolean won(boolean won) {
    if (won) {
      dekWritesWon.incrementAndGet();
    }
    return won;
  }

  /** The row as stored, read without counting. */
  public synchronized Optional<DekRow> row(SubjectRef subject) {
    return Optional.ofNullable(deks.get(subject));
  }
}

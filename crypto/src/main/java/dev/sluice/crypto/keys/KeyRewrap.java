package dev.sluice.crypto.keys;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.kek.Kek;
import dev.sluice.crypto.kek.KekRefusedException;
import dev.sluice.crypto.kek.KekWithPrevious;
import java.security.GeneralSecurityException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Moves the stream wrapping keys to another KEK: each stream key row wrapped by a KEK other than the current one is
 * unwrapped (by the current KEK or the previous one, {@link KekWithPrevious}), wrapped again by the current KEK, checked
 * to unwrap with it alone to the same keyset, and written back only if the row is still as it was read. The stream
 * keys themselves do not change, so no subject key and no sealed value is touched: moving to another KEK re-encrypts
 * one small row per stream, and no data.
 *
 * <p>Safe to run again, and while processes seal and unseal: a row already under the current KEK is left as it is; a
 * row changed by someone else since it was read is reported and left for the next run. A row that cannot be moved (it
 * unwraps with neither KEK, or a KEK refuses or cannot be reached) is reported with why, and the rest go on.
 *
 * <p>Blocking (key table reads and writes, KEK calls): for a command line, not an event loop.
 */
public final class KeyRewrap {
  private final KeyTable table;
  private final Kek kek;
  private final InstantSource clock;

  /**
   * @param kek the current KEK; a {@link KekWithPrevious} to move rows wrapped by its previous one (a plain KEK can only
   *     list what is left to move, and reports those rows as failed)
   */
  public KeyRewrap(KeyTable table, Kek kek, InstantSource clock) {
    this.table = Objects.requireNonNull(table, "table");
    this.kek = Objects.requireNonNull(kek, "kek");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What became of one stream's key row. */
  public enum Kind {
    /** Wrapped by the current KEK now. */
    MOVED,
    /** Would be moved (a dry run): it unwraps, and wraps again under the current KEK. */
    WOULD_MOVE,
    /** Under the current KEK already: left as it was. */
    ALREADY,
    /** Changed by another process since it was read: left for the next run. */
    CHANGED_MEANWHILE,
    /** Not moved: see the detail. */
    FAILED
  }

  /**
   * @param fromKek the KEK the row named when read
   * @param detail why it failed; empty otherwise. Names KEKs and streams only, never key material.
   */
  public record Outcome(String stream, Kind kind, String fromKek, String detail) {}

  /** Every stream key row's outcome, in the order read. */
  public record Report(List<Outcome> outcomes) {
    public Report {
      outcomes = List.copyOf(outcomes);
    }

    public long count(Kind kind) {
      return outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    /** True when nothing failed or changed meanwhile: every row is (or, in a dry run, would be) under the KEK. */
    public boolean complete() {
      return count(Kind.FAILED) == 0 && count(Kind.CHANGED_MEANWHILE) == 0;
    }
  }

  /** Moves every row not under the current KEK if {@code apply}; else only says what it would do. */
  public Report run(boolean apply) {
    List<Outcome> outcomes = new ArrayList<>();
    for (SwkRow row : table.swkRows()) {
      outcomes.add(move(row, apply));
    }
    return new Report(outcomes);
  }

  private Outcome move(SwkRow row, boolean apply) {
    if (row.kekUri().equals(kek.uri())) {
      return outcome(row, Kind.ALREADY, "");
    }
    SwkRow after;
    try {
      after = wrappedAgain(row);
    } catch (GeneralSecurityException e) {
      return outcome(row, Kind.FAILED, "does not unwrap with " + kek.uri()
          + (kek instanceof KekWithPrevious p ? " or " + p.previous().uri()
              : " (set sluice.crypto.kek.previous to the KEK that wrapped it)"));
    } catch (KekRefusedException e) {
      return outcome(row, Kind.FAILED, "a KEK refused: " + e.getMessage());
    } catch (RuntimeException e) {
      // An outage of a KEK, or a key that did not read back the same: either way the row stays as it is.
      return outcome(row, Kind.FAILED, "not moved: " + e);
    }
    if (!apply) {
      return outcome(row, Kind.WOULD_MOVE, "");
    }
    try {
      return table.rewrapSwk(row, after, clock.instant())
          ? outcome(row, Kind.MOVED, "")
          : outcome(row, Kind.CHANGED_MEANWHILE, "");
    } catch (RuntimeException e) {
      return outcome(row, Kind.FAILED, "the key table did not take the write: " + e);
    }
  }

  /** The row's keyset wrapped by the current KEK, checked to unwrap with that KEK alone to the same keys. */
  private SwkRow wrappedAgain(SwkRow row) throws GeneralSecurityException {
    byte[] ad = KeyRing.swkAd(row.stream());
    KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(row.wrapped().bytes(), kek.asAead(), ad);
    Kek current = kek instanceof KekWithPrevious p ? p.current() : kek;
    byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, current.asAead(), ad);
    KeysetHandle check = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, current.asAead(), ad);
    if (!Keysets.keyIds(check).equals(Keysets.keyIds(keyset))
        || check.getPrimary().getId() != keyset.getPrimary().getId()) {
      throw new IllegalStateException("stream " + row.stream() + "'s key did not read back the same after wrapping");
    }
    return new SwkRow(row.stream(), WrappedKey.of(wrapped), current.uri(), row.createdAt());
  }

  private static Outcome outcome(SwkRow row, Kind kind, String detail) {
    return new Outcome(row.stream(), kind, row.kekUri(), detail);
  }
}

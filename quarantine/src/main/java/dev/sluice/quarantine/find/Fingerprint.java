package dev.sluice.quarantine.find;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * How an item failed, so that five thousand items that failed the same way read as one line: the event type, the
 * reason, and where it failed (the first violation's JSON pointer, or else the exception class).
 *
 * <p>Computed from stored fields when items are read, so items written before fingerprints existed group too, and
 * nothing changes on the consumers' write path.
 *
 * @param type the event type, or {@code ""} for an item that is not a CloudEvent
 * @param locus the first failing JSON pointer, or the exception class when there are no violations ({@code ""} if
 *     neither)
 * @param id 16 hex characters derived from the other three: stable across restarts and safe in a URL path
 */
public record Fingerprint(String type, QuarantineReason reason, String locus, String id) {
  public Fingerprint {
    // Every component is required: List.of refuses a null one, at once.
    List.of(type, reason, locus, id);
  }

  public static Fingerprint of(QuarantineItem item) {
    String type = item.eventType().orElse("");
    String locus = item.violations().isEmpty() ? item.errorClass() : item.violations().get(0).pointer();
    return of(type, item.reason(), locus);
  }

  public static Fingerprint of(String type, QuarantineReason reason, String locus) {
    return new Fingerprint(type, reason, locus, shortHash(type + '\u0000' + reason.name() + '\u0000' + locus));
  }

  /**
   * 16 hex characters of the SHA-256 of {@code natural}: an id derived from a natural key, stable across restarts and
   * safe in a URL path (a fingerprint's, and a storm's of its partition and fingerprint).
   */
  public static String shortHash(String natural) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(natural.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Whether a string has the shape of a fingerprint id. */
  public static boolean isId(String value) {
    return value != null && value.matches("[0-9a-f]{16}");
  }
}

package dev.sluice.quarantine.find;

import java.time.Instant;
import java.util.Objects;

/** The items of one failure fingerprint among those a filter matched. */
public record FingerprintGroup(
    Fingerprint fingerprint, long count, Instant firstSeen, Instant lastSeen, String sampleId) {
  public FingerprintGroup {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(sampleId, "sampleId");
  }
}

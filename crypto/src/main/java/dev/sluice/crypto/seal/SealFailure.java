package dev.sluice.crypto.seal;

import dev.sluice.crypto.keys.KeyVersion;
import java.util.Objects;

/**
 * Why a record cannot be unsealed. Each is a verdict on the record itself, the same in every process; a key outage is
 * not one (it fails the Future with {@code KeyUnavailableException}). {@link #reason} names pointers and versions,
 * never a value.
 */
public sealed interface SealFailure extends Unsealing {
  String reason();

  /** A sealed value failed authentication: changed, or copied from another field, event, type or stream. */
  record Tampered(String pointer) implements SealFailure {
    public Tampered {
      Objects.requireNonNull(pointer, "pointer");
    }

    @Override
    public String reason() {
      return "field " + pointer + " failed authentication: tampered or moved";
    }
  }

  /** The header names a key version the subject's keys do not have, even on a fresh read. */
  record UnknownKeyVersion(KeyVersion version) implements SealFailure {
    public UnknownKeyVersion {
      Objects.requireNonNull(version, "version");
    }

    @Override
    public String reason() {
      return "key version " + version + " of the data subject is unknown";
    }
  }

  /** The key table has no key for the subject at all. */
  record KeyNotFound() implements SealFailure {
    @Override
    public String reason() {
      return "no key for the data subject in the key table";
    }
  }

  /**
   * The header and the data disagree (fields, subject, a value that is not a ciphertext), or the header is unreadable.
   */
  record SealMismatch(String detail) implements SealFailure {
    public SealMismatch {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String reason() {
      return "the sealed fields do not match the data: " + detail;
    }
  }

  /** A marked value stands in the clear, and there is no {@code sluice-sealed} header. */
  record NotSealed(String pointer) implements SealFailure {
    public NotSealed {
      Objects.requireNonNull(pointer, "pointer");
    }

    @Override
    public String reason() {
      return "marked field " + pointer + " is not sealed";
    }
  }

  /** The failure of a record whose header did not parse ({@code reason} from {@link SealHeader.Parsed.Invalid}). */
  static SealMismatch unreadableHeader(SealHeader.Parsed.Invalid invalid) {
    return new SealMismatch(invalid.reason());
  }
}

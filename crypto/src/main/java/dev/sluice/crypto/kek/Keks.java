package dev.sluice.crypto.kek;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The KEK a URI names. */
public final class Keks {
  public static final String LOCAL = "local:";
  public static final String AWS_KMS = "aws-kms://";

  private Keks() {}

  /**
   * {@code local:<path>}: a Tink keyset file, made on first use ({@link LocalKek#open}). {@code aws-kms://<ARN>}: a key
   * in AWS KMS, by key ARN or alias ARN ({@link AwsKmsKek}), reached as {@code kms} says. Any other scheme is refused
   * with what is accepted.
   *
   * @throws IllegalArgumentException for a URI this build cannot use ({@link #check})
   */
  public static Kek fromUri(String uri, KmsAccess kms) {
    Objects.requireNonNull(kms, "kms");
    check(uri);
    if (uri.startsWith(AWS_KMS)) {
      return AwsKmsKek.open(KmsKeyArn.parse(uri.substring(AWS_KMS.length())), kms);
    }
    return LocalKek.open(Path.of(uri.substring(LOCAL.length())));
  }

  /**
   * The KEK {@code uri} names, which must exist already: a KEK being moved from ({@code sluice.crypto.kek.previous}) has
   * wrapped keys, so a local file that is not there is a mistake (a wrong path), never a KEK to make. A KMS key is
   * opened as {@link #fromUri} opens it (whether it exists is known at its first call).
   *
   * @throws IllegalArgumentException for a URI this build cannot use, or a local file that does not exist
   */
  public static Kek existing(String uri, KmsAccess kms) {
    check(uri);
    if (uri.startsWith(LOCAL) && !Files.exists(Path.of(uri.substring(LOCAL.length())))) {
      throw new IllegalArgumentException("KEK file " + uri.substring(LOCAL.length()) + " does not exist");
    }
    return fromUri(uri, kms);
  }

  /**
   * Refuses a URI {@link #fromUri} cannot use, saying why, without opening anything (no file read, no KMS call): for
   * checking a configuration at start-up.
   *
   * @throws IllegalArgumentException naming what is wrong and what is expected
   */
  public static void check(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.startsWith(LOCAL)) {
      if (uri.substring(LOCAL.length()).isBlank()) {
        throw new IllegalArgumentException("KEK URI '" + uri + "' names no file: expected local:<path>");
      }
      return;
    }
    if (uri.startsWith(AWS_KMS)) {
      try {
        KmsKeyArn.parse(uri.substring(AWS_KMS.length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("KEK URI '" + uri + "': " + e.getMessage(), e);
      }
      return;
    }
    throw new IllegalArgumentException("KEK URI '" + uri + "' has an unknown scheme: expected local:<path> or "
        + AWS_KMS + "<KMS key ARN>");
  }
}

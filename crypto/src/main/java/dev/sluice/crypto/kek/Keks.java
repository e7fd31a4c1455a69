package dev.sluice.crypto.kek;

import java.nio.file.Path;
import java.util.Objects;

/** The KEK a URI names. */
public final class Keks {
  public static final String LOCAL = "local:";
  public static final String AWS_KMS = "aws-kms://";

  private Keks() {}

  /**
   * {@code local:<path>}: a Tink keyset file, made on first use ({@link LocalKek#open}). Any other scheme is refused
   * with what is accepted; {@code aws-kms://} is named but not available in this build yet.
   *
   * @throws IllegalArgumentException for a URI this build cannot use
   */
  public static Kek fromUri(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.startsWith(LOCAL)) {
      String path = uri.substring(LOCAL.length());
      if (path.isBlank()) {
        throw new IllegalArgumentException("KEK URI '" + uri + "' names no file: expected local:<path>");
      }
      return LocalKek.open(Path.of(path));
    }
    if (uri.startsWith(AWS_KMS)) {
      throw new IllegalArgumentException("KEK URI '" + uri + "': AWS KMS keys are not supported by this build yet;"
          + " use local:<path>");
    }
    throw new IllegalArgumentException("KEK URI '" + uri + "' has an unknown scheme: expected local:<path>");
  }
}

package dev.sluice.console.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A stored password: PBKDF2-HMAC-SHA256 with a random salt, written {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
 * (salt and hash in unpadded base64). Passwords are never kept, only this. The iteration count travels with the hash,
 * so old hashes keep working when the default goes up.
 *
 * <p>Checking costs {@code iterations} HMACs (about a quarter of a second at the default): never call {@link #matches}
 * on an event loop.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  public static final String SCHEME = "pbkdf2-sha256";
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  static final int MIN_ITERATIONS = 1_000;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  public PasswordHash {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("at least " + MIN_ITERATIONS + " iterations, was " + iterations);
    }
    if (salt == null || salt.length < 8) {
      throw new IllegalArgumentException("the salt must have at least 8 bytes");
    }
    if (hash == null || hash.length != HASH_BYTES) {
      throw new IllegalArgumentException("the hash must have " + HASH_BYTES + " bytes");
    }
    salt = salt.clone();
    hash = hash.clone();
  }

  /** Hashes a new password with a fresh salt (from {@code random}, which should be a {@code SecureRandom}). */
  public static PasswordHash create(String password, int iterations, RandomGenerator random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(iterations, salt, derive(password, salt, iterations));
  }

  /**
   * Reads the stored form.
   *
   * @throws IllegalArgumentException when {@code text} is not {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}; the
   *     message never quotes the text
   */
  public static PasswordHash parse(String text) {
    String[] parts = text == null ? new String[0] : text.strip().split(":", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException("must be " + SCHEME + ":<iterations>:<salt>:<hash> (see sluice hash-password)");
    }
    try {
      return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
          Base64.getDecoder().decode(parts[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the iteration count must be a whole number");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad " + SCHEME + " hash: " + e.getMessage());
    }
  }

  /** Whether {@code password} is the one hashed; compares in constant time. Blocking: see the class comment. */
  public boolean matches(String password) {
    return password != null && MessageDigest.isEqual(hash, derive(password, salt, iterations));
  }

  /** The stored form, {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}. */
  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p && p.iterations == iterations && MessageDigest.isEqual(p.salt, salt)
        && MessageDigest.isEqual(p.hash, hash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(iterations, java.util.Arrays.hashCode(salt));
  }

  /** Never the hash itself. */
  @Override
  public String toString() {
    return "PasswordHash[" + SCHEME + ", " + iterations + " iterations]";
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("every Java platform has PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}

package dev.sluice.crypto.keys;

/**
 * A key could not be had now: the key table or the KEK did not answer, answered an error, was throttled, or the call
 * took longer than the key call timeout. Nothing is known about the key itself, so this is never turned into a
 * placeholder or a poison verdict: an ingress answers 503 and appends nothing, a consumer holds the partition and
 * tries again. The message names no subject and no value.
 */
public class KeyUnavailableException extends RuntimeException {
  public KeyUnavailableException(String message) {
    super(message);
  }

  public KeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

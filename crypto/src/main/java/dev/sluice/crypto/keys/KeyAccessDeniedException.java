package dev.sluice.crypto.keys;

/**
 * The key table or the KEK refused this process (an IAM denial): handled as an outage (the process may be granted
 * later, and nothing is known about the key), but worth its own log line, since only a change of permissions ends it.
 */
public class KeyAccessDeniedException extends KeyUnavailableException {
  public KeyAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.sluice.schemas.registry.log;

/**
 * A registry write did not complete within the write timeout: the broker did not acknowledge it, or this process did
 * not read it back in time. The write may still land; callers turn this into an "unavailable, retry" value.
 */
public final class RegistryUnavailableException extends Exception {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

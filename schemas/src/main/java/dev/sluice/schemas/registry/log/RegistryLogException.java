package dev.sluice.schemas.registry.log;

/** The registry log cannot start (topic unusable, broker unreachable within the start timeout): a start-up error. */
public final class RegistryLogException extends RuntimeException {
  public RegistryLogException(String message) {
    super(message);
  }

  public RegistryLogException(String message, Throwable cause) {
    super(message, cause);
  }
}

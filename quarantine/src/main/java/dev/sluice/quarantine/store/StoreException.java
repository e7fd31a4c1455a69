package dev.sluice.quarantine.store;

/** Failures of the quarantine store that callers act on by type, never by message. */
public sealed class StoreException extends RuntimeException
    permits StoreException.NotFound, StoreException.StatusConflict, StoreException.Refused {

  StoreException(String message) {
    super(message, null, false, false);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** No item has this id. */
  public static final class NotFound extends StoreException {
    public NotFound(String id) {
      super("no quarantine item " + id);
    }
  }

  /** The item is not in the status the transition needs: someone else moved it first. */
  public static final class StatusConflict extends StoreException {
    private final QuarantineStatus actual;

    public StatusConflict(String id, QuarantineStatus expected, QuarantineStatus actual) {
      super("item " + id + " is " + actual + ", not " + expected);
      this.actual = actual;
    }

    public QuarantineStatus actual() {
      return actual;
    }
  }

  /**
   * The store refused the write for what it is ({@link StoreRefusal}): trying the same write again cannot succeed.
   * The store's own exception is the cause.
   */
  public static final class Refused extends StoreException {
    private final StoreRefusal reason;

    public Refused(StoreRefusal reason, Throwable cause) {
      super("the store refused the write (" + reason + "): " + cause, cause);
      this.reason = reason;
    }

    public StoreRefusal reason() {
      return reason;
    }
  }
}

package dev.sluice.console.audit;

import io.vertx.core.Future;

/**
 * Answers with an operator action's result once its audit entry is written. The action itself is already durable
 * (and in the item's own history, written by the same conditional write), so an audit table that fails does not turn
 * a done action into an error the operator would retry; it is logged loudly instead.
 */
public final class Audited {
  private static final System.Logger LOG = System.getLogger(Audited.class.getName());

  private Audited() {}

  /** {@code result} once {@code entry} is written, or logged missing; {@code done} says what was done, for the log. */
  public static <T> Future<T> result(T result, Future<AuditRecord> entry, String done) {
    return entry
        .map(written -> result)
        .recover(failure -> {
          LOG.log(System.Logger.Level.ERROR, done + " but its audit entry was not written", failure);
          return Future.succeededFuture(result);
        });
  }
}

package dev.sluice.console.auth;

import dev.sluice.console.audit.AuditLog;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits password sign-ins per user name and per client address ({@link LoginLimits}), on records shared by every
 * console instance ({@link SignInAttempts}), before any password is checked.
 *
 * <p>A user name is counted the same whether or not such a user exists (the same reads, writes and answers), so the
 * throttle tells nobody which names are real. A lockout is audited once, when it starts, as {@value #LOCKOUT} by
 * {@value #ACTOR}: with the address, and the user name only when it is a configured user's (an unknown "name" may be
 * a password typed into the wrong field). Never a password.
 */
public final class LoginThrottle {
  /** The audit action of a lockout. */
  public static final String LOCKOUT = "SIGN_IN_LOCKOUT";
  /** Who the audit says locked the name or address out: the console itself. */
  public static final String ACTOR = "sluice";
  /** How long a client is asked to wait when the records were too busy to count its attempt. */
  static final Duration CONTENDED_RETRY_AFTER = Duration.ofSeconds(1);
  private static final System.Logger LOG = System.getLogger(LoginThrottle.class.getName());

  /**
   * One sign-in attempt.
   *
   * @param knownUser whether {@code userName} is a configured user: only the audit text depends on it
   * @param address the client's address ({@link ClientAddress})
   */
  public record Attempt(String userName, boolean knownUser, String address) {
    public Attempt {
      Objects.requireNonNull(userName, "userName");
      Objects.requireNonNull(address, "address");
    }
  }

  /** Whether an attempt may check its password. */
  public sealed interface Admission {
    record Admitted() implements Admission {}

    /** Refused without checking the password; the client may try again after {@code retryAfter}. */
    record Throttled(Duration retryAfter) implements Admission {}
  }

  private final LoginLimiter limiter;
  private final SignInAttempts records;
  private final AuditLog audit;

  public LoginThrottle(LoginLimiter limiter, SignInAttempts records, AuditLog audit) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.records = Objects.requireNonNull(records, "records");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** The throttle of a console: {@code limits} counted on the sessions' attempt records, by the sessions' clock. */
  public static LoginThrottle of(LoginLimits limits, Sessions sessions, AuditLog audit) {
    return new LoginThrottle(new LoginLimiter(limits, sessions.clock()), sessions.attempts(), audit);
  }

  /**
   * Counts the attempt against its address, then its user name. Refused by either, it is counted against neither
   * (the address gets back what it gave). Fails when the records' table does not answer: no password is checked then.
   */
  public Future<Admission> admit(Attempt attempt) {
    String addressKey = SignInAttempts.addressKey(attempt.address());
    return take(addressKey, limiter.limits().addressAttempts(), "address " + attempt.address())
        .compose(byAddress -> {
          if (byAddress instanceof LoginLimiter.Take.Refused r) {
            return Future.succeededFuture(throttled(r));
          }
          return take(SignInAttempts.userKey(attempt.userName()), limiter.limits().userAttempts(), user(attempt))
              .compose(byUser -> byUser instanceof LoginLimiter.Take.Refused r
                  ? giveBack(addressKey).map(throttled(r))
                  : Future.succeededFuture(new Admission.Admitted()));
        })
        .recover(failure -> failure instanceof SignInAttempts.Contended
            ? Future.succeededFuture(new Admission.Throttled(CONTENDED_RETRY_AFTER))
            : Future.failedFuture(failure));
  }

  /**
   * After the right password: the user name's count starts again, and the address gets its attempt back. Failing to
   * write either only leaves the counts higher, so a failure is logged and the sign-in goes on.
   */
  public Future<Void> succeeded(Attempt attempt) {
    Future<Void> user = records.update(SignInAttempts.userKey(attempt.userName()), current -> new SignInAttempts
        .Decided<Void>(limiter.mayClear(current) ? new SignInAttempts.Change.Delete()
            : new SignInAttempts.Change.Keep(), null));
    return Future.join(user, giveBack(SignInAttempts.addressKey(attempt.address())))
        .<Void>mapEmpty()
        .recover(failure -> {
          LOG.log(System.Logger.Level.WARNING, "could not reset sign-in counts after a sign-in: " + failure);
          return Future.succeededFuture();
        });
  }

  private Future<LoginLimiter.Take> take(String key, int limit, String who) {
    return records.update(key, current -> {
      LoginLimiter.Take take = limiter.take(current, limit);
      return new SignInAttempts.Decided<>(take.next().<SignInAttempts.Change>map(
          next -> new SignInAttempts.Change.Put(next, limiter.expiresAt(next)))
          .orElse(new SignInAttempts.Change.Keep()), take);
    }).onSuccess(take -> {
      if (take instanceof LoginLimiter.Take.Refused r && r.startsLockout()) {
        auditLockout(who, limit, r);
      }
    });
  }

  private Future<Void> giveBack(String addressKey) {
    return records.update(addressKey, current -> new SignInAttempts.Decided<Void>(limiter.giveBack(current)
        .<SignInAttempts.Change>map(next -> new SignInAttempts.Change.Put(next, limiter.expiresAt(next)))
        .orElse(new SignInAttempts.Change.Keep()), null));
  }

  private static String user(Attempt attempt) {
    return attempt.knownUser() ? "user " + attempt.userName()
        : "a user name that is not configured (not recorded: it may be a mistyped password)";
  }

  private void auditLockout(String who, int limit, LoginLimiter.Take.Refused refused) {
    LoginLimits limits = limiter.limits();
    String until = refused.next().flatMap(LoginLimiter.Attempts::lockedUntil).map(Object::toString).orElse("?");
    String detail = "sign-in locked out until " + until + " (" + limits.lockout() + ") after " + limit
        + " attempts within " + limits.window() + ": " + who;
    // Not waited for: the refusal stands whether or not the audit table answers.
    audit.record(ACTOR, LOCKOUT, List.of(), detail, Optional.empty(), Optional.empty(), Optional.empty())
        .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "could not audit a sign-in lockout: " + failure));
  }

  private static Admission throttled(LoginLimiter.Take.Refused refused) {
    return new Admission.Throttled(refused.retryAfter());
  }
}

package dev.sluice.console.auth;

import dev.sluice.storekit.dynamo.TtlTable;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sign-in attempt records ({@link LoginLimiter.Attempts}), shared by every console instance: items in the sessions
 * table ({@link Sessions}), so that the limits hold for the console as a whole however many replicas serve it, and
 * DynamoDB's TTL on that table deletes them once they no longer matter.
 *
 * <p>An item's key is {@value #USER_PREFIX} or {@value #ADDRESS_PREFIX} and the base64 SHA-256 of the user name or
 * address: no name typed into the form (perhaps a password typed into the wrong field) is stored. A session's key is
 * a bare base64 hash, which never contains {@code #}, so the two kinds of item cannot meet.
 *
 * <p>Every change is a conditional write on the {@value #VERSION} read just before (or on the item's absence): two
 * instances counting the same attempt at once cannot both succeed, and the loser reads again and recounts. Every SDK
 * call runs on a worker and completes on the caller's context.
 */
public final class SignInAttempts {
  static final String USER_PREFIX = "sign-in#user#";
  static final String ADDRESS_PREFIX = "sign-in#address#";
  /** Epoch millis. */
  static final String WINDOW_START = "windowStart";
  static final String COUNT = "attempts";
  /** Epoch millis; absent until a lockout starts. */
  static final String LOCKED_UNTIL = "lockedUntil";
  static final String VERSION = "version";
  /** Reads and conditional writes one change may take before it gives up ({@link Contended}). */
  static final int MAX_TRIES = 8;

  /** What to do with a record, decided from the record as read. */
  public sealed interface Change {
    /** Store this record; it may be deleted by DynamoDB after {@code expiresAt}. */
    record Put(LoginLimiter.Attempts next, Instant expiresAt) implements Change {}

    record Delete() implements Change {}

    record Keep() implements Change {}
  }

  /** A change with what to tell the caller once it is written. */
  public record Decided<R>(Change change, R result) {
    public Decided {
      Objects.requireNonNull(change, "change");
    }
  }

  /** Other writers kept changing the record for {@value #MAX_TRIES} tries in a row. */
  public static final class Contended extends RuntimeException {
    Contended() {
      super("a sign-in record kept changing under " + MAX_TRIES + " tries", null, false, false);
    }
  }

  private final WorkerTable table;

  /** Made by {@link Sessions#attempts()}: the same table, Vert.x and client as the sessions. */
  SignInAttempts(WorkerTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  public static String userKey(String userName) {
    return USER_PREFIX + Base64.getEncoder().encodeToString(Credentials.sha256(userName));
  }

  public static String addressKey(String address) {
    return ADDRESS_PREFIX + Base64.getEncoder().encodeToString(Credentials.sha256(address));
  }

  /**
   * Reads the record under {@code key} (strongly consistent), lets {@code decide} say what becomes of it, and writes
   * that conditionally on the record being still as read; if it was not, reads and decides again. Fails with
   * {@link Contended} after {@value #MAX_TRIES} tries, and with the SDK's exception when the table does not answer.
   * {@code decide} must be pure: it may run more than once, on a worker.
   */
  public <R> Future<R> update(String key, Function<Optional<LoginLimiter.Attempts>, Decided<R>> decide) {
    Map<String, AttributeValue> itemKey = Map.of(Sessions.ID_HASH, AttributeValue.fromS(key));
    return table.blocking(() -> {
      for (int i = 0; i < MAX_TRIES; i++) {
        Optional<Map<String, AttributeValue>> read = table.getNow(itemKey);
        Decided<R> decided = decide.apply(read.map(SignInAttempts::fromItem));
        if (write(key, read.map(r -> number(r, VERSION)), decided.change())) {
          return decided.result();
        }
        // Another instance changed the record since it was read: decide again on what is there now.
      }
      throw new Contended();
    });
  }

  /**
   * Makes the change, on the condition that the record is still at {@code version} (or, read as absent, still is):
   * false if it is not, and nothing was written.
   */
  private boolean write(String key, Optional<Long> version, Change change) {
    if (change instanceof Change.Put put) {
      Map<String, AttributeValue> item = toItem(key, put, version.map(v -> v + 1).orElse(1L));
      if (version.isPresent()) {
        return table.putIf(item, b -> b.conditionExpression("#v = :v")
            .expressionAttributeNames(Map.of("#v", VERSION))
            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version.get())))));
      }
      return table.putIf(item, b -> b.conditionExpression("attribute_not_exists(#k)")
          .expressionAttributeNames(Map.of("#k", Sessions.ID_HASH)));
    }
    if (change instanceof Change.Delete && version.isPresent()) {
      return table.deleteIf(Map.of(Sessions.ID_HASH, AttributeValue.fromS(key)), b -> b
          .conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", VERSION))
          .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version.get())))));
    }
    return true;
  }

  static Map<String, AttributeValue> toItem(String key, Change.Put put, long version) {
    LoginLimiter.Attempts a = put.next();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Sessions.ID_HASH, AttributeValue.fromS(key));
    item.put(WINDOW_START, AttributeValue.fromN(Long.toString(a.windowStart().toEpochMilli())));
    item.put(COUNT, AttributeValue.fromN(Integer.toString(a.count())));
    a.lockedUntil().ifPresent(l -> item.put(LOCKED_UNTIL, AttributeValue.fromN(Long.toString(l.toEpochMilli()))));
    item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
    // Rounded up: DynamoDB never deletes a record that still counts.
    item.put(Sessions.TTL_EPOCH_SECONDS,
        AttributeValue.fromN(Long.toString(TtlTable.ttlSeconds(put.expiresAt().toEpochMilli()))));
    return item;
  }

  /** @throws IllegalStateException for an item this class did not write */
  static LoginLimiter.Attempts fromItem(Map<String, AttributeValue> item) {
    return new LoginLimiter.Attempts(Instant.ofEpochMilli(number(item, WINDOW_START)), (int) number(item, COUNT),
        Optional.ofNullable(item.get(LOCKED_UNTIL)).map(v -> Instant.ofEpochMilli(Long.parseLong(v.n()))));
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw new IllegalStateException("sign-in record without " + name);
    }
    return Long.parseLong(v.n());
  }
}

package dev.sluice.console;

import dev.sluice.deploy.testing.Stack;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.Violation;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Writes quarantine items straight into the running stack's table, through the real store, so that console tests
 * control every field (group, status, time) and can use a group of their own: the table is shared by every test of
 * the run, and a test that filters by its own group sees only its own items.
 */
final class QuarantineSeeds implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final QuarantineStore store;

  QuarantineSeeds(Stack stack) {
    store = new QuarantineStore(vertx, stack.dynamo(), stack.quarantineTable(), Clock.systemUTC());
  }

  /** A seed: what the test varies; everything else has a plain default. */
  record Seed(String stream, String group, long offset, QuarantineStatus status, String type,
      QuarantineReason reason, String errorClass, List<Violation> violations, String key, String data, Instant at) {

    static Seed of(String stream, String group, long offset, Instant at) {
      return new Seed(stream, group, offset, QuarantineStatus.QUARANTINED, "retail.product.created",
          QuarantineReason.HANDLER_REJECTED, "dev.sluice.demo.PriceTooHigh", List.of(), "p-" + offset,
          "{\"id\":\"p-" + offset + "\",\"name\":\"Anvil " + offset + "\",\"price\":250000}", at);
    }

    Seed status(QuarantineStatus s) {
      return new Seed(stream, group, offset, s, type, reason, errorClass, violations, key, data, at);
    }

    Seed failure(QuarantineReason r, String errorClass, List<Violation> violations) {
      return new Seed(stream, group, offset, status, type, r, errorClass, violations, key, data, at);
    }

    Seed type(String t) {
      return new Seed(stream, group, offset, status, t, reason, errorClass, violations, key, data, at);
    }

    Seed data(String d) {
      return new Seed(stream, group, offset, status, type, reason, errorClass, violations, key, d, at);
    }

    String id() {
      return QuarantineItem.idFor(group, stream, 0, offset);
    }
  }

  /** Writes the item and returns its id. */
  String put(Seed s) {
    byte[] payload = ("{\"specversion\":\"1.0\",\"id\":\"e-" + s.offset() + "\",\"source\":\"/it\",\"type\":\""
        + s.type() + "\",\"data\":" + s.data() + "}").getBytes(StandardCharsets.UTF_8);
    QuarantineItem item = new QuarantineItem(s.id(), s.status(), s.stream(), s.group(), s.stream(), 0, s.offset(),
        Optional.ofNullable(s.key()), payload, List.of(), Optional.of("e-" + s.offset()), Optional.ofNullable(s.type()),
        s.reason(), s.errorClass(), "failed", s.violations(), 1, s.at(), s.at(), Optional.empty(), 0,
        List.of(new AuditEntry(s.at(), "QUARANTINED", s.group(), "seeded by a test")));
    try {
      store.consumer().quarantine(item).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not seed " + s, e);
    }
    return s.id();
  }

  QuarantineStore store() {
    return store;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}

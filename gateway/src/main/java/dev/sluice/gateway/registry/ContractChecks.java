package dev.sluice.gateway.registry;

import dev.sluice.gateway.config.DeclaredReadsMode;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.Registration;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the registry checks a proposed schema against besides the type's compatibility level: the reads live consumer
 * groups declared, and whether it protects them or only names who is affected.
 *
 * @param readers where the live groups' declared reads are asked for
 * @param mode inform (name the affected groups) or protect (also refuse breaking a declared field)
 */
public record ContractChecks(LiveReaders readers, DeclaredReadsMode mode) {
  /** No declared reads, inform mode: the registry as it was before groups declared anything. */
  public static final ContractChecks NONE = new ContractChecks(LiveReaders.NONE, DeclaredReadsMode.INFORM);
  /** Longest wait for the live groups: an answer after it is one with the affected groups unknown. */
  static final long LOOKUP_TIMEOUT_SECONDS = 10;

  public ContractChecks {
    Objects.requireNonNull(readers, "readers");
    Objects.requireNonNull(mode, "mode");
  }

  /** Whether a change that breaks a declared field is refused. */
  public boolean protects() {
    return mode == DeclaredReadsMode.PROTECT;
  }

  /**
   * The live groups' declared reads of a type, or why they are unknown.
   *
   * @param known the groups (empty when unknown)
   * @param unknownBecause set when the groups could not be read: then no one can say who a change affects
   */
  public record Readers(List<DeclaredReader> known, Optional<String> unknownBecause) {
    public Readers {
      known = List.copyOf(known);
      Objects.requireNonNull(unknownBecause, "unknownBecause");
    }
  }

  /**
   * Asks for the readers of {@code type}, on the caller's context: the answer (which may complete on a store's
   * thread) is handed back there, so what follows never runs on a foreign thread. Never fails: a failure, or no answer
   * within {@value #LOOKUP_TIMEOUT_SECONDS} s, is {@link Readers#unknownBecause}, told without the store's own words
   * (which may name tables or keys).
   */
  public Future<Readers> lookup(Vertx vertx, String type) {
    Context context = vertx.getOrCreateContext();
    Promise<Readers> answer = Promise.promise();
    // Set from the caller's context, so the timer fires there too; whichever comes first answers (tryComplete).
    long timer = vertx.setTimer(TimeUnit.SECONDS.toMillis(LOOKUP_TIMEOUT_SECONDS),
        id -> answer.tryComplete(unknown("no answer within " + LOOKUP_TIMEOUT_SECONDS + " s")));
    Future<List<DeclaredReader>> asked;
    try {
      asked = Objects.requireNonNull(readers.of(type), "LiveReaders answered null");
    } catch (RuntimeException e) {
      asked = Future.failedFuture(e);
    }
    asked.onComplete(ar -> context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      answer.tryComplete(ar.succeeded() ? known(ar.result()) : unknown(ar.cause().getClass().getSimpleName()));
    }));
    return answer.future();
  }

  /**
   * Asks for the readers of {@code type} ({@link #lookup}), then continues with them on the caller's context. In
   * protect mode, readers that cannot be read answer {@code unavailable} (with why) instead: a registration or a
   * compatibility verdict without them would be unchecked. Both registry APIs gate their writes and checks here.
   */
  public <T> Future<T> withReaders(Vertx vertx, String type, Function<String, T> unavailable,
      Function<Readers, Future<T>> then) {
    return lookup(vertx, type).compose(readers -> readers.unknownBecause().isPresent() && protects()
        ? Future.succeededFuture(unavailable.apply(readers.unknownBecause().get()))
        : then.apply(readers));
  }

  /**
   * Registers {@code schema} as the next version of {@code type}, the known readers protected in protect mode, and
   * works out who the outcome affects. Blocks until the registry log has the change and parses schemas: call it on a
   * worker.
   */
  public Registered register(RegistryAdmin admin, SchemaRegistry registry, String type, String schema,
      Readers readers) {
    Registration r = admin.register(type, schema, protects() ? readers.known() : List.of());
    RegistryState after = registry.state();
    return new Registered(r, after, ContractImpacts.after(after, type, schema, r, readers.known()));
  }

  /**
   * A registration's outcome, the registry as it was right after, and who the outcome affects (empty: it could not be
   * worked out).
   */
  public record Registered(Registration registration, RegistryState after, Optional<ContractImpact> impact) {}

  private static Readers known(List<DeclaredReader> list) {
    try {
      return new Readers(list, Optional.empty());
    } catch (NullPointerException e) {
      return unknown("the answer held no list, or a null group");
    }
  }

  private static Readers unknown(String why) {
    return new Readers(List.of(), Optional.of("the live consumer groups could not be read (" + why
        + "); who this change affects is unknown"));
  }
}

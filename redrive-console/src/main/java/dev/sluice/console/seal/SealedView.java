package dev.sluice.console.seal;

import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.seal.SealFailure;
import dev.sluice.crypto.seal.UnsealInput;
import dev.sluice.crypto.seal.Unsealed;
import dev.sluice.crypto.seal.Unsealer;
import dev.sluice.crypto.seal.Unsealing;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * An item's detail as a role that may see sensitive values gets it (operators and admins): its {@code data} and
 * {@code editedData} with their sealed values opened, as a granted consumer group's handler would get them (a
 * forgotten subject's as {@code "sluice:erased"}). The raw {@code payload} stays as the ledger holds it, sealed.
 *
 * <p>{@code sealedValues} says, for each of the two that had sealed values, what was done: {@code opened},
 * {@code erased} (the subject was forgotten), or why they are shown sealed (a seal failure's reason, or the keys not
 * answering). A key outage never fails the view: the operator still sees the item, sealed.
 *
 * <p>Nothing opened is kept: the plaintext exists only in the answer to this request. Viewers never come here: their
 * masking covers the sealed values as it covers any marked value.
 */
public final class SealedView {
  /** What {@code sealedValues} says when the values were opened. */
  public static final String OPENED = "opened";
  /** What it says when the subject was forgotten. */
  public static final String ERASED = "erased";

  private final Unsealer unsealer;
  private final SchemaRegistry registry;

  public SealedView(SubjectKeys keys, SchemaRegistry registry) {
    this.unsealer = new Unsealer(Objects.requireNonNull(keys, "keys"));
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** {@code detail} (as {@code ItemJson.detail} built it from {@code item}) with its sealed values opened. */
  public Future<JsonObject> open(QuarantineItem item, JsonObject detail) {
    // A captured reject was never sealed (its marked values are withheld), and an item whose payload Kafka keeps
    // cannot be read here: both are shown as they are.
    if (!item.payloadStored() || QuarantineItem.INGRESS_GROUP.equals(item.group())) {
      return Future.succeededFuture(detail);
    }
    // One decode of the record: its data, and the edit's target with the edit's own seal header.
    Optional<EditSealing.Target> record = EditSealing.Target.of(item, item.payload(), item.headers(),
        registry.state());
    if (record.isEmpty()) {
      return Future.succeededFuture(detail);
    }
    Optional<Future<Shown>> original = opening(record.get(), record.get().recordData());
    Optional<Future<Shown>> edited = item.editedData().flatMap(data -> opening(
        record.get().sealedAs(item.headersForRedrive(item.headers())), data));
    if (original.isEmpty() && edited.isEmpty()) {
      return Future.succeededFuture(detail);
    }
    JsonObject out = detail.copy();
    JsonObject said = new JsonObject();
    return Future.all(put(out, said, "data", original), put(out, said, "editedData", edited))
        .map(done -> out.put("sealedValues", said));
  }

  /** What the view shows of one data: what {@code sealedValues} says, and the data opened when it was. */
  private record Shown(String said, Optional<String> data) {}

  /** Opens {@code data} of {@code target}'s record; empty when its version marks nothing present (nothing to say). */
  private Optional<Future<Shown>> opening(EditSealing.Target target, String data) {
    if (!target.marks().any()) {
      return Optional.empty();
    }
    Optional<MarkedLocations.Located> located = MarkedLocations.locate(target.marks(), data);
    if (located.isEmpty() || (located.get().values().isEmpty() && target.header().isEmpty())) {
      return Optional.empty();
    }
    String subject = located.get().subject() instanceof DataSubject.Valid valid ? valid.value() : "";
    Future<Unsealing> unsealing;
    try {
      unsealing = unsealer.unseal(new UnsealInput(target.event(), subject, data, located.get().values(),
          target.header()));
    } catch (RuntimeException e) {
      unsealing = Future.failedFuture(e);
    }
    return Optional.of(unsealing.transform(ar -> Future.succeededFuture(shown(ar))));
  }

  private static Shown shown(AsyncResult<Unsealing> ar) {
    if (ar.failed()) {
      return new Shown(ar.cause() instanceof KeyUnavailableException
          ? "shown sealed: the keys did not answer; try again later"
          : "shown sealed: the values could not be opened (" + ar.cause().getClass().getSimpleName() + ")",
          Optional.empty());
    }
    if (ar.result() instanceof Unsealed unsealed) {
      return new Shown(unsealed.erased().isEmpty() ? OPENED : ERASED, Optional.of(unsealed.data()));
    }
    return new Shown("shown sealed: " + ((SealFailure) ar.result()).reason(), Optional.empty());
  }

  private static Future<Void> put(JsonObject out, JsonObject said, String member, Optional<Future<Shown>> opening) {
    return opening.map(f -> f.<Void>map(shown -> {
      said.put(member, shown.said());
      shown.data().ifPresent(data -> out.put(member, Json.decodeValue(data)));
      return null;
    })).orElseGet(Future::succeededFuture);
  }
}

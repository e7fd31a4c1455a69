package dev.sluice.gateway.capture;

import dev.sluice.crypto.seal.Placeholders;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.SchemaSelection;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The body a refused request is kept with, on a stream that carries sensitive values: a captured reject is stored, and
 * shown to operators, so a value its schema marks must not be kept in the clear, any more than on the ledger.
 *
 * <ul>
 *   <li>On a stream where no version of any accepted type marks values: the body as received.
 *   <li>An event that was read, of a type the stream accepts, whose schema version marks nothing: as received.
 *   <li>An event whose marked values can be found (its data is well-formed JSON): each marked value replaced by
 *       {@code "sluice:withheld"}, the rest byte for byte. In binary mode the body is the data; in structured mode the
 *       envelope is written again from the attributes as read (the data spliced in as text, so it is not re-encoded).
 *       An operator can still read what was wrong elsewhere, fix the data and redrive it.
 *   <li>A binary-mode request that could not be read, whose {@code ce-type} the stream accepts and no version of which
 *       marks anything: as received (so an operator can still fix its data).
 *   <li>Anything else (not read as an event, an unknown type or version, data that is not JSON): no body at all. The
 *       reject still shows who sent what kind of problem; the producer has to send the event again.
 * </ul>
 *
 * <p>Pure: the caller passes one registry snapshot, and the work is linear in the body, which the gateway has already
 * bounded.
 */
public final class SensitiveBody {
  private SensitiveBody() {}

  /** What was left out of a kept body. */
  public enum Withheld {
    /** Nothing: the body is as received. */
    NOTHING,
    /** Each marked value, replaced by {@code "sluice:withheld"}. */
    VALUES,
    /** The whole body: its marked values could not be found. */
    BODY
  }

  /** The body to keep, and what was left out of it. */
  public record Kept(byte[] body, Withheld withheld) {
    public Kept {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(withheld, "withheld");
    }
  }

  /**
   * The body to keep: the given one, one with marked values withheld, or an empty one.
   *
   * @param event the event, if the request could be read as one
   * @param binaryType the {@code ce-type} header of a binary-mode request: when the event could not be read (its body
   *     is not JSON, say), a type the stream accepts whose versions mark nothing still keeps the body
   */
  public static Kept kept(RegistryState state, StreamDefinition stream, Optional<CloudEvent> event,
      String contentType, byte[] body, Optional<String> binaryType) {
    if (!EventAdmission.marksValues(state, stream)) {
      return new Kept(body, Withheld.NOTHING);
    }
    if (event.isEmpty()) {
      boolean marksNothing = binaryType.filter(type -> stream.type(type).isPresent())
          .map(type -> state.versions(type).stream().noneMatch(v -> v.marks().any())).orElse(false);
      return marksNothing ? new Kept(body, Withheld.NOTHING) : new Kept(new byte[0], Withheld.BODY);
    }
    if (stream.type(event.get().type()).isEmpty()) {
      return new Kept(new byte[0], Withheld.BODY);
    }
    CloudEvent e = event.get();
    Outcome<SchemaVersion> version = SchemaSelection.select(state, e);
    if (!(version instanceof Outcome.Ok<SchemaVersion> ok)) {
      return new Kept(new byte[0], Withheld.BODY);
    }
    if (!ok.value().marks().any()) {
      return new Kept(body, Withheld.NOTHING);
    }
    Optional<MarkedLocations.Located> located = MarkedLocations.locate(ok.value().marks(), e.data());
    if (located.isEmpty()) {
      return new Kept(new byte[0], Withheld.BODY);
    }
    String data = Placeholders.replace(e.data(), located.get().values(), Placeholders.WITHHELD);
    String kept = CloudEventHttpReader.isStructured(contentType) ? structured(e, data) : data;
    return new Kept(kept.getBytes(StandardCharsets.UTF_8), Withheld.VALUES);
  }

  /** A structured-mode body for {@code event}'s attributes and {@code data} (JSON text, spliced in unchanged). */
  static String structured(CloudEvent event, String data) {
    JsonObject attributes = new JsonObject();
    put(attributes, "specversion", event.specversion());
    put(attributes, "id", event.id());
    put(attributes, "source", event.source());
    put(attributes, "type", event.type());
    put(attributes, "datacontenttype", event.datacontenttype());
    put(attributes, "dataschema", event.dataschema());
    put(attributes, "subject", event.subject());
    put(attributes, "time", event.time());
    for (Map.Entry<String, String> extension : event.extensions().entrySet()) {
      put(attributes, extension.getKey(), extension.getValue());
    }
    String envelope = attributes.encode();
    return envelope.substring(0, envelope.length() - 1) + (attributes.isEmpty() ? "" : ",") + "\"data\":" + data
        + "}";
  }

  private static void put(JsonObject attributes, String name, String value) {
    if (value != null) {
      attributes.put(name, value);
    }
  }
}

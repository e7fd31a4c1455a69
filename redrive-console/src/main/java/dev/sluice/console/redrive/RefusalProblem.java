package dev.sluice.console.redrive;

import dev.sluice.console.ingress.IngressRefusal;
import dev.sluice.console.ingress.IngressRefusal.InvalidAttributes;
import dev.sluice.console.ingress.IngressRefusal.MalformedData;
import dev.sluice.console.ingress.IngressRefusal.MissingPartitionKey;
import dev.sluice.console.ingress.IngressRefusal.NoSchema;
import dev.sluice.console.ingress.IngressRefusal.NoStreamForTopic;
import dev.sluice.console.ingress.IngressRefusal.PartitionKeyExtensionNotAllowed;
import dev.sluice.console.ingress.IngressRefusal.SchemaViolation;
import dev.sluice.console.ingress.IngressRefusal.TypeNotAccepted;
import dev.sluice.console.ingress.IngressRefusal.UnknownSchemaVersion;
import dev.sluice.console.ingress.IngressRefusal.Unreadable;
import dev.sluice.console.ingress.IngressRefusal.UnsupportedDataschema;
import dev.sluice.console.problem.Problem;
import dev.sluice.console.problem.ProblemType;
import dev.sluice.console.problem.ViolationJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * The problem types of ingest's refusals, as a redriven ingress reject is answered with them: 422, with the gateway's
 * type for the same refusal and the violations (pointers rooted at the event) for the page to show next to the data.
 *
 * <p>The seam for the shared ingest module: its refusals will carry their own problem types, and this table goes.
 * Until then {@link IngressRefusal} cannot say its own type (its package is being replaced, not extended), so the
 * refusal is told apart here, by type, the only place that does so.
 */
enum RefusalProblem {
  UNREADABLE_EVENT("unreadable-event", "Captured request is not a readable CloudEvent"),
  INVALID_CLOUDEVENT("invalid-cloudevent", "Invalid CloudEvent"),
  UNKNOWN_STREAM("unknown-stream", "No stream for the topic"),
  TYPE_NOT_ACCEPTED("type-not-accepted", "Event type not accepted"),
  PARTITION_KEY_EXTENSION_NOT_ALLOWED("partition-key-extension-not-allowed", "Partition key extension not allowed"),
  UNSUPPORTED_DATASCHEMA("unsupported-dataschema", "Unsupported dataschema"),
  UNKNOWN_SCHEMA_VERSION("unknown-schema-version", "Unknown schema version"),
  NO_SCHEMA("no-schema", "No schema for the type"),
  MALFORMED_DATA("malformed-data", "Data is not JSON"),
  SCHEMA_VIOLATION("schema-violation", "Schema violation"),
  MISSING_PARTITION_KEY("missing-partition-key", "Missing partition key");

  private final ProblemType type;

  RefusalProblem(String slug, String title) {
    // 422 for every refusal: the event (its data or envelope) is at fault, not the request.
    this.type = new ProblemType(slug, 422, title);
  }

  /** The problem a refusal is answered with. */
  static Problem of(IngressRefusal refusal) {
    JsonObject members = new JsonObject().put("violations", ViolationJson.of(refusal.violations()));
    if (refusal instanceof Unreadable u) {
      return UNREADABLE_EVENT.type.problem(u.detail(), members);
    }
    if (refusal instanceof InvalidAttributes a) {
      return INVALID_CLOUDEVENT.type.problem(a.violations().size()
          + " violation(s) of the CloudEvents rules in the envelope; a redrive replaces only the data", members);
    }
    if (refusal instanceof NoStreamForTopic n) {
      return UNKNOWN_STREAM.type.problem(
          "no stream writes to topic " + n.topic() + " any more, so the event has nowhere to go", members);
    }
    if (refusal instanceof TypeNotAccepted t) {
      return TYPE_NOT_ACCEPTED.type.problem("stream " + t.stream() + " does not accept type " + t.type(),
          members.put("acceptedTypes", new JsonArray(new ArrayList<>(new TreeSet<>(t.acceptedTypes())))));
    }
    if (refusal instanceof PartitionKeyExtensionNotAllowed k) {
      return PARTITION_KEY_EXTENSION_NOT_ALLOWED.type.problem(k.violations().get(0).message(), members);
    }
    if (refusal instanceof UnsupportedDataschema d) {
      return UNSUPPORTED_DATASCHEMA.type.problem(d.detail(), members);
    }
    if (refusal instanceof UnknownSchemaVersion v) {
      return UNKNOWN_SCHEMA_VERSION.type.problem(v.violations().get(0).message(), members);
    }
    if (refusal instanceof NoSchema n) {
      return NO_SCHEMA.type.problem("no schema is registered for type " + n.type(), members);
    }
    if (refusal instanceof MalformedData m) {
      return MALFORMED_DATA.type.problem(m.detail(), members);
    }
    if (refusal instanceof SchemaViolation v) {
      return SCHEMA_VIOLATION.type.problem(v.violations().size() + " violation(s) of " + v.type() + " schema version "
          + v.schemaVersion(), members.put("schemaVersion", v.schemaVersion()));
    }
    if (refusal instanceof MissingPartitionKey m) {
      return MISSING_PARTITION_KEY.type.problem("events of type " + m.type() + " take their partition key from "
          + m.pointer() + ", which is missing or empty", members);
    }
    throw new IllegalStateException("unmapped ingress refusal " + refusal);
  }
}

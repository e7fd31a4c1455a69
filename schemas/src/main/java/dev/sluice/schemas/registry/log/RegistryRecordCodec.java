package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.SchemaFingerprint;
import java.util.Objects;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * Encodes registry records as the (key, value) strings of the registry's compacted Kafka topic, and back.
 *
 * <p>Keys decide what compaction keeps, so each kind gets the key that matches how {@code RegistryState.apply}
 * resolves it:
 *
 * <ul>
 *   <li>{@code compatibility/{type}} and {@code stream/{name}}: the last record wins, so compaction may drop all
 *       earlier ones.
 *   <li>{@code schema/{type}/{version}/{fingerprint}/{writeId}}: the <em>first</em> record for a version wins, so no
 *       schema record may ever be dropped or moved. The fingerprint keeps two replicas racing for one version number
 *       apart, and the write id (unique per write) keeps apart two writes of the <em>same</em> schema for the same
 *       number (two replicas bootstrapping the same file, or the same POST on two replicas). Without it compaction
 *       would keep only the later copy, which can sit behind a newer version in the log; replaying the compacted log
 *       would then see that newer version before its predecessor, ignore it as a gap, and disagree with the replicas
 *       that read the log before compaction.
 * </ul>
 *
 * <p>Values are JSON objects with a {@code kind} member. The schema text is kept verbatim as a string.
 *
 * <p>Decoding never throws: a record that is not one of ours, or whose key does not match its value, is a
 * {@link Decoded.Skip} with the reason, for the reader to log and step over.
 */
public final class RegistryRecordCodec {
  static final String SCHEMA = "schema";
  static final String COMPATIBILITY = "compatibility";
  static final String STREAM = "stream";

  private RegistryRecordCodec() {}

  /** One Kafka record's key and value. */
  public record Encoded(String key, String value) {
    public Encoded {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** The outcome of reading one Kafka record. */
  public sealed interface Decoded {
    record Record(RegistryRecord record) implements Decoded {}

    /** Not a registry record this version understands; the reader logs {@code reason} and goes on. */
    record Skip(String reason) implements Decoded {}
  }

  /**
   * @param writeId unique per write (e.g. a random UUID); only schema keys use it, see the class comment
   */
  public static Encoded encode(RegistryRecord record, String writeId) {
    Objects.requireNonNull(writeId, "writeId");
    if (record instanceof RegistryRecord.SchemaRegistered r) {
      String fingerprint = SchemaFingerprint.of(r.schemaJson());
      JSONObject value = new JSONObject()
          .put("kind", SCHEMA)
          .put("type", r.type())
          .put("version", r.version())
          .put("fingerprint", fingerprint)
          .put("schema", r.schemaJson());
      return new Encoded(schemaKeyPrefix(r.type(), r.version(), fingerprint) + "/" + writeId, value.toString());
    }
    if (record instanceof RegistryRecord.CompatibilitySet r) {
      JSONObject value = new JSONObject()
          .put("kind", COMPATIBILITY)
          .put("type", r.type())
          .put("compatibility", r.compatibility().name());
      return new Encoded(COMPATIBILITY + "/" + r.type(), value.toString());
    }
    StreamDefinition stream = ((RegistryRecord.StreamPut) record).stream();
    JSONObject value = new JSONObject().put("kind", STREAM).put("stream", StreamCatalog.toJson(stream));
    return new Encoded(STREAM + "/" + stream.name(), value.toString());
  }

  /** Reads one Kafka record; {@code key} or {@code value} may be null (a tombstone, or a foreign record). */
  public static Decoded decode(String key, String value) {
    if (key == null) {
      return new Decoded.Skip("record without a key");
    }
    if (value == null) {
      return new Decoded.Skip("tombstone for " + key + " (the registry never deletes)");
    }
    JSONObject v;
    try {
      JSONTokener tokener = new JSONTokener(value);
      Object parsed = tokener.nextValue();
      if (!(parsed instanceof JSONObject o) || tokener.nextClean() != 0) {
        return new Decoded.Skip("value of " + key + " is not one JSON object");
      }
      v = o;
    } catch (JSONException | StackOverflowError e) {
      return new Decoded.Skip("value of " + key + " is not JSON");
    }
    try {
      String kind = v.optString("kind", "");
      return switch (kind) {
        case SCHEMA -> decodeSchema(key, v);
        case COMPATIBILITY -> decodeCompatibility(key, v);
        case STREAM -> decodeStream(key, v);
        default -> new Decoded.Skip("unknown kind '" + kind + "' in " + key);
      };
    } catch (JSONException | IllegalArgumentException | StackOverflowError e) {
      return new Decoded.Skip("garbled " + key + ": " + e.getMessage());
    }
  }

  private static Decoded decodeSchema(String key, JSONObject v) {
    String type = v.getString("type");
    int version = v.getInt("version");
    String schema = v.getString("schema");
    if (type.isEmpty() || version < 1) {
      return new Decoded.Skip("garbled " + key + ": empty type or version below 1");
    }
    String fingerprint = SchemaFingerprint.of(schema);
    if (!fingerprint.equals(v.optString("fingerprint"))) {
      return new Decoded.Skip("garbled " + key + ": the schema does not match its fingerprint");
    }
    String prefix = schemaKeyPrefix(type, version, fingerprint);
    if (!key.equals(prefix) && !key.startsWith(prefix + "/")) {
      return new Decoded.Skip("key " + key + " does not match its value (" + prefix + ")");
    }
    return new Decoded.Record(new RegistryRecord.SchemaRegistered(type, version, schema));
  }

  private static Decoded decodeCompatibility(String key, JSONObject v) {
    String type = v.getString("type");
    Compatibility level = Compatibility.valueOf(v.getString("compatibility"));
    if (!key.equals(COMPATIBILITY + "/" + type)) {
      return new Decoded.Skip("key " + key + " does not match its value (" + COMPATIBILITY + "/" + type + ")");
    }
    return new Decoded.Record(new RegistryRecord.CompatibilitySet(type, level));
  }

  private static Decoded decodeStream(String key, JSONObject v) {
    StreamDefinition stream = StreamCatalog.parseStream(v.getJSONObject("stream"));
    if (!key.equals(STREAM + "/" + stream.name())) {
      return new Decoded.Skip("key " + key + " does not match its value (" + STREAM + "/" + stream.name() + ")");
    }
    return new Decoded.Record(new RegistryRecord.StreamPut(stream));
  }

  private static String schemaKeyPrefix(String type, int version, String fingerprint) {
    return SCHEMA + "/" + type + "/" + version + "/" + fingerprint;
  }
}

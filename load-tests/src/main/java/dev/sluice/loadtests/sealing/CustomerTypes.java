package dev.sluice.loadtests.sealing;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The sealing suite's two event types, alike in everything but the marks: {@value #SEALED} marks three values
 * ({@link #MARKED}) sensitive for the data subject its {@code id} names, {@value #PLAIN} is the same schema without
 * {@code x-sensitive} and {@code x-data-subject}. Their events carry the same data, are validated by the same keywords
 * and are keyed by the same {@code id}, so the gap between the two is sealing: locating the marked values, the
 * subject's key, three AES-GCM encryptions, the splice and the {@code sluice-sealed} header (and, the other way, the
 * same for opening them).
 *
 * <p>The gateway gets them over its registry API, as an admin would register them; the consumer's registry is built
 * from the same texts, each as version 1, the version the gateway registers them as.
 */
public final class CustomerTypes {
  public static final String SEALED = "bench.customer.sealed";
  public static final String PLAIN = "bench.customer.plain";
  /** The members the sealed type marks, in the order they stand in the data. */
  public static final List<String> MARKED = List.of("name", "email", "phone");
  /** The data subject and the partition key (a key may not be marked). */
  public static final String SUBJECT_POINTER = "/id";
  public static final int PARTITIONS = 3;

  private CustomerTypes() {}

  /** The schema of {@code type}: with the marks when it is {@link #SEALED}, without them otherwise. */
  public static String schema(String type) {
    boolean marked = SEALED.equals(type);
    JsonObject properties = new JsonObject()
        .put("id", new JsonObject().put("type", "string").put("minLength", 1))
        .put("name", sensitive(new JsonObject().put("type", "string"), marked))
        .put("email", sensitive(new JsonObject().put("type", "string").put("format", "email"), marked))
        .put("phone", sensitive(new JsonObject().put("type", "string"), marked))
        .put("tier", new JsonObject().put("type", "string"))
        .put("notes", new JsonObject().put("type", "string"));
    JsonObject schema = new JsonObject()
        .put("$schema", "http://json-schema.org/draft-07/schema#")
        .put("title", type)
        .put("description", "A customer registered (sealing benchmark only): name, e-mail and phone are personal "
            + "data" + (marked ? ", marked sensitive for the customer the id names." : "; this twin marks nothing."))
        .put("type", "object");
    if (marked) {
      schema.put("x-data-subject", SUBJECT_POINTER);
    }
    return schema.put("required", new JsonArray().add("id").add("name").add("email").add("phone"))
        .put("properties", properties).encode();
  }

  private static JsonObject sensitive(JsonObject property, boolean marked) {
    return marked ? property.put("x-sensitive", true) : property;
  }

  /** A stream of {@code types}, keyed by {@link #SUBJECT_POINTER}: the body of {@code PUT /v1/streams/{name}}. */
  public static JsonObject stream(String name, List<String> types) {
    JsonArray bindings = new JsonArray();
    types.forEach(t -> bindings.add(new JsonObject().put("type", t).put("partitionKey", SUBJECT_POINTER)));
    return new JsonObject().put("name", name).put("topic", name).put("partitions", PARTITIONS)
        .put("ordering", "KEY_ORDERED").put("types", bindings);
  }

  /**
   * The consumer's registry: both types at version 1, and one stream per entry of {@code typeByStream} (stream name =
   * topic) carrying that type.
   */
  public static SchemaRegistry registry(Map<String, String> typeByStream) {
    RegistryState state = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered(SEALED, 1, schema(SEALED)))
        .apply(new RegistryRecord.SchemaRegistered(PLAIN, 1, schema(PLAIN)));
    JsonArray streams = new JsonArray();
    typeByStream.forEach((stream, type) -> streams.add(stream(stream, List.of(type))));
    for (var definition : StreamCatalog.parse(new JsonObject().put("streams", streams).encode(),
        "sealing-benchmark").streams()) {
      state = state.apply(new RegistryRecord.StreamPut(definition));
    }
    return new SchemaRegistry(state);
  }
}

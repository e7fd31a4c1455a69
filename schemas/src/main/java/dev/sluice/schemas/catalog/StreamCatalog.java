package dev.sluice.schemas.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * The stream catalog: which streams exist, their topics, and the event types each accepts.
 *
 * <p>The demo catalog ships as {@code sluice/catalog/streams.json} on the class path.
 */
public final class StreamCatalog {
  public static final String DEFAULT_RESOURCE = "sluice/catalog/streams.json";

  private final Map<String, StreamDefinition> streams;

  public StreamCatalog(Collection<StreamDefinition> streams) {
    Map<String, StreamDefinition> byName = new LinkedHashMap<>();
    for (StreamDefinition s : streams) {
      if (byName.put(s.name(), s) != null) {
        throw new CatalogException("stream " + s.name() + " is defined twice");
      }
    }
    this.streams = Map.copyOf(byName);
  }

  /** Loads the catalog shipped on the class path. */
  public static StreamCatalog loadDefault() {
    return fromResource(DEFAULT_RESOURCE);
  }

  public static StreamCatalog fromResource(String resource) {
    return parse(readResource(resource), resource);
  }

  public static StreamCatalog parse(String json, String origin) {
    try {
      JSONObject root = new JSONObject(json);
      JSONArray arr = root.getJSONArray("streams");
      java.util.List<StreamDefinition> defs = new java.util.ArrayList<>();
      for (int i = 0; i < arr.length(); i++) {
        defs.add(parseStream(arr.getJSONObject(i)));
      }
      return new StreamCatalog(defs);
    } catch (JSONException | IllegalArgumentException e) {
      throw new CatalogException("invalid stream catalog " + origin + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads one stream definition: {@code name}, {@code topic} (default: the name), {@code partitions} (default 1),
   * {@code ordering} (default KEY_ORDERED), {@code partitionKeyExtension} (default false), {@code retention}
   * ({@code "forever"} or an ISO-8601 duration; default: the deployment's), what its catalog page says of it
   * ({@link StreamAbout}: {@code owner}, {@code contact}, {@code description}, {@code stalenessObjective}; all
   * optional) and {@code types}, each with
   * {@code type}, {@code partitionKey} (a JSON pointer into data) and optionally {@code schema} (the bootstrap file).
   *
   * @throws JSONException or IllegalArgumentException when the object is not a valid definition
   */
  public static StreamDefinition parseStream(JSONObject s) {
    Map<String, EventTypeBinding> types = new LinkedHashMap<>();
    JSONArray typeArr = s.getJSONArray("types");
    for (int j = 0; j < typeArr.length(); j++) {
      JSONObject t = typeArr.getJSONObject(j);
      EventTypeBinding b = new EventTypeBinding(t.getString("type"), t.getString("partitionKey"), t.optString("schema", ""));
      if (types.put(b.type(), b) != null) {
        throw new IllegalArgumentException("type " + b.type() + " is listed twice");
      }
    }
    return new StreamDefinition(
        s.getString("name"),
        s.optString("topic", s.getString("name")),
        s.optInt("partitions", 1),
        OrderingPolicy.valueOf(s.optString("ordering", OrderingPolicy.KEY_ORDERED.name())),
        types,
        s.optBoolean("partitionKeyExtension", false),
        s.has("retention") ? Retention.parse(s.getString("retention")) : Retention.DEPLOYMENT_DEFAULT,
        StreamAbout.read(s));
  }

  /** The JSON form read by {@link #parseStream}; the registry log and the HTTP API use it. */
  public static JSONObject toJson(StreamDefinition d) {
    JSONArray types = new JSONArray();
    for (EventTypeBinding b : d.types().values().stream()
        .sorted(java.util.Comparator.comparing(EventTypeBinding::type)).toList()) {
      JSONObject t = new JSONObject().put("type", b.type()).put("partitionKey", b.partitionKeyPointer());
      if (!b.schemaResource().isEmpty()) {
        t.put("schema", b.schemaResource());
      }
      types.put(t);
    }
    JSONObject json = new JSONObject()
        .put("name", d.name())
        .put("topic", d.topic())
        .put("partitions", d.partitions())
        .put("ordering", d.ordering().name())
        .put("partitionKeyExtension", d.partitionKeyExtension())
        .put("types", types);
    d.retention().json().ifPresent(r -> json.put("retention", r));
    d.about().write(json);
    return json;
  }

  public Optional<StreamDefinition> stream(String name) {
    return Optional.ofNullable(streams.get(name));
  }

  public Collection<StreamDefinition> streams() {
    return streams.values();
  }

  /** The stream whose topic this is, for consumers that start from a Kafka record. */
  public Optional<StreamDefinition> streamForTopic(String topic) {
    return streams.values().stream().filter(s -> s.topic().equals(topic)).findFirst();
  }

  /** Reads a UTF-8 text resource from the class path; the registry loads schema files with it too. */
  public static String readResource(String resource) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = StreamCatalog.class.getClassLoader();
    }
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        throw new CatalogException("resource not found on the class path: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CatalogException("cannot read " + resource, e);
    }
  }
}

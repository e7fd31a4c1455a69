package dev.sluice.loadtests.ingest;

import dev.sluice.schemas.event.CloudEvent;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Realistic {@code retail.product.created} CloudEvents of about a fixed size, each with a fresh id.
 *
 * <p>The data is valid against {@code sluice/schemas/retail.product.created.json} (id, brand, name, category, a
 * positive price) and is padded to the wanted size with a long {@code description}, which the schema allows (a plain
 * string, no length bound). Ids are {@code <run>-<counter>}, and the source names the run, so every event has a unique
 * (source, id): a gateway that deduplicates never drops a benchmark event as a retry. The product id is the event id,
 * so partition keys spread over all partitions as real products would.
 *
 * <p>Cheap by design (the generator shares the CPU with the server): bodies are built by string concatenation from
 * precomputed parts, with no JSON library on the hot path. Thread-safe.
 */
public final class ProductEvents {
  public static final String TYPE = "retail.product.created";
  public static final String STREAM = "retail";
  public static final String STRUCTURED = "application/cloudevents+json";
  public static final String BATCH = "application/cloudevents-batch+json";

  private static final String TEXT = "Drop-forged carbon steel anvil with a hardened face and a soft horn, ground flat "
      + "and ready for the workshop; ships with a hardy tool and a pritchel punch. ";

  private final String type;
  private final String source;
  private final String runId;
  private final int dataBytes;
  private final String description;
  private final AtomicLong sequence = new AtomicLong();
  private final String time;

  /**
   * @param runId makes ids unique across runs against the same broker (and dedup store)
   * @param dataBytes the wanted size of the {@code data} JSON, the Kafka record value (e.g. 1024)
   * @param time the CloudEvents {@code time} attribute (RFC 3339) stamped on every event
   */
  public ProductEvents(String runId, int dataBytes, String time) {
    this(TYPE, runId, dataBytes, time);
  }

  /**
   * Events of another type with the same data, e.g. a twin of {@value #TYPE} registered with another schema.
   *
   * @param type the CloudEvents {@code type} attribute of every event
   */
  public ProductEvents(String type, String runId, int dataBytes, String time) {
    this.type = type;
    this.runId = runId;
    this.source = "/loadtests/ingest-benchmark/" + runId;
    this.time = time;
    this.dataBytes = dataBytes;
    // Size the padding against a typical id (counter in the millions); ids of other lengths vary by a few bytes.
    int unpadded = data(runId + "-1000000", "").length();
    int pad = Math.max(0, dataBytes - unpadded);
    StringBuilder d = new StringBuilder(pad);
    while (d.length() < pad) {
      d.append(TEXT, 0, Math.min(TEXT.length(), pad - d.length()));
    }
    this.description = d.toString();
  }

  /**
   * Events of {@code type} byte for byte as long as these, with ids of their own: a twin whose events cost the gateway
   * the same to read, parse, key and append, so that a comparison of the two types measures only what differs between
   * their schemas. Its run id is this one with the last character made {@code x} (a run id here is hexadecimal, so the
   * two never share a (source, id)).
   *
   * @param type as long as this instance's type
   */
  public ProductEvents twin(String type) {
    if (type.length() != this.type.length()) {
      throw new IllegalArgumentException("a twin's type must be as long as " + this.type + ": " + type);
    }
    String twinRunId = runId.substring(0, runId.length() - 1) + (runId.endsWith("x") ? "y" : "x");
    return new ProductEvents(type, twinRunId, dataBytes, time);
  }

  public String type() {
    return type;
  }

  public String source() {
    return source;
  }

  /** A fresh event id, never returned before by this instance. */
  public String nextId() {
    return runId + "-" + sequence.incrementAndGet();
  }

  /** The valid {@code data} JSON for product {@code id}. */
  public String data(String id) {
    return data(id, description);
  }

  private static String data(String id, String description) {
    return "{\"id\":\"" + id + "\",\"brand\":\"Acme\",\"name\":\"Anvil " + id + "\",\"category\":\"tools\","
        + "\"price\":149.95,\"description\":\"" + description + "\"}";
  }

  /** One structured-mode CloudEvent ({@code application/cloudevents+json}) with a fresh id. */
  public String structured() {
    String id = nextId();
    return structured(id, data(id));
  }

  /** A batch ({@code application/cloudevents-batch+json}): a JSON array of {@code size} fresh structured events. */
  public String batch(int size) {
    StringBuilder b = new StringBuilder(size * (description.length() + 400));
    b.append('[');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        b.append(',');
      }
      String id = nextId();
      b.append(structured(id, data(id)));
    }
    return b.append(']').toString();
  }

  /** A structured event whose data lacks the required {@code brand}: a validating gateway must refuse it. */
  public String invalidStructured() {
    String id = nextId();
    return structured(id, "{\"id\":\"" + id + "\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":149.95}");
  }

  /** The event as the gateway appends it, for the raw-producer baseline (same key, headers and value). */
  public CloudEvent cloudEvent() {
    String id = nextId();
    return new CloudEvent("1.0", id, source, type, "application/json", null, null, time, Map.of(), data(id));
  }

  private String structured(String id, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + type
        + "\",\"datacontenttype\":\"application/json\",\"time\":\"" + time + "\",\"data\":" + data + "}";
  }
}

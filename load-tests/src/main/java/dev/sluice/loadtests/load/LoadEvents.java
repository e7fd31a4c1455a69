package dev.sluice.loadtests.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Structured-mode {@code retail.product.created} CloudEvents for the load scenarios, each with a fresh id and product
 * id (so keys spread over partitions and the gateway's dedup never drops one): valid ones, schema-invalid ones (no
 * {@code brand}, a negative price: the gateway answers 422) and poison ones (valid against the schema, but a price over
 * the demo catalog's maximum of 100000, so the demo consumer rejects them: HANDLER_REJECTED). Thread-safe and cheap:
 * plain string concatenation.
 */
public final class LoadEvents {
  public static final String CONTENT_TYPE = "application/cloudevents+json";
  private static final String TYPE = "retail.product.created";

  private final String runId;
  private final String source;
  private final AtomicLong sequence = new AtomicLong();

  public LoadEvents(String runId) {
    this.runId = runId;
    this.source = "/loadtests/" + runId;
  }

  public String valid() {
    String id = nextId();
    return event(id, "{\"id\":\"" + id + "\",\"brand\":\"Acme\",\"name\":\"Anvil " + id + "\",\"category\":\"tools\","
        + "\"price\":149.95,\"description\":\"Drop-forged carbon steel anvil with a hardened face\"}");
  }

  public String invalid() {
    String id = nextId();
    return event(id, "{\"id\":\"" + id + "\",\"name\":\"Anvil " + id + "\",\"category\":\"tools\",\"price\":-3}");
  }

  public String poison() {
    String id = nextId();
    return event(id, "{\"id\":\"" + id + "\",\"brand\":\"Acme\",\"name\":\"Gold anvil " + id + "\","
        + "\"category\":\"tools\",\"price\":250000}");
  }

  /**
   * Whether request {@code n} (counting from 0) of a stream mixing {@code percent} % of special events is special:
   * spread evenly, exactly {@code percent} in every hundred.
   */
  public static boolean isSpecial(long n, int percent) {
    return (n * percent) % 100 + percent >= 100;
  }

  private String nextId() {
    return runId + "-" + sequence.incrementAndGet();
  }

  private String event(String id, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + TYPE
        + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
  }
}

package dev.sluice.loadtests.sealing;

import dev.sluice.schemas.event.CloudEvent;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The suite's events: a customer's {@code id}, name, e-mail and phone (the three values {@link CustomerTypes#SEALED}
 * marks), a tier and notes padding the data to about a fixed size. The same data serves both types, so a sealed event
 * and its plain twin differ only in the type named.
 *
 * <p>Warm subjects are a fixed set of {@code subjects} ids, taken in turn (event {@code n} is subject
 * {@code n mod subjects}), so every one recurs throughout a run and all of them are in use; their data is made once
 * here, so the generator, which shares the CPU with the gateway, only concatenates. Cold subjects are new ids, never
 * handed out before by this instance. Event ids are {@code <run>-<counter>} under a source naming the run: every event
 * has a unique (source, id), so the gateway never drops one as a retry. Thread-safe.
 */
public final class CustomerEvents {
  public static final String STRUCTURED = "application/cloudevents+json";
  public static final String BATCH = "application/cloudevents-batch+json";

  private static final String TEXT = "Prefers deliveries after six; ring twice. Loyalty since the shop opened, pays "
      + "by card, returns rarely and asks for paper receipts. ";

  private final String runId;
  private final String source;
  private final String time;
  private final int dataBytes;
  private final String[] warmData;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong warmTurn = new AtomicLong();
  private final AtomicLong coldSubjects = new AtomicLong();

  /**
   * @param runId makes event and cold subject ids unique across runs against the same broker and key table
   * @param dataBytes the wanted size of each event's data JSON (the Kafka record value before sealing), e.g. 1024
   * @param subjects how many warm subjects there are
   * @param time the CloudEvents {@code time} attribute (RFC 3339) stamped on every event
   */
  public CustomerEvents(String runId, int dataBytes, int subjects, String time) {
    if (subjects < 1) {
      throw new IllegalArgumentException("at least one subject, not " + subjects);
    }
    this.runId = runId;
    this.source = "/loadtests/sealing-benchmark/" + runId;
    this.time = time;
    this.dataBytes = dataBytes;
    this.warmData = new String[subjects];
    for (int i = 0; i < subjects; i++) {
      warmData[i] = data(warmSubject(i));
    }
  }

  public int subjects() {
    return warmData.length;
  }

  /** The id of warm subject {@code i} (0 to {@code subjects - 1}). */
  public static String warmSubject(int i) {
    return String.format("cust-%06d", i);
  }

  /** A subject id never handed out before by this instance (nor by another run's, whose run id differs). */
  public String newSubject() {
    return "cold-" + runId + "-" + coldSubjects.incrementAndGet();
  }

  /** The data of warm subject {@code i}. */
  public String warmData(int i) {
    return warmData[i];
  }

  /** The valid data of {@code subject}, padded to about {@code dataBytes} with notes. */
  public String data(String subject) {
    String head = "{\"id\":\"" + subject + "\",\"name\":\"Customer " + subject + " Example\",\"email\":\""
        + subject + "@example.com\",\"phone\":\"+44 20 7946 " + Math.floorMod(subject.hashCode(), 10_000)
        + "\",\"tier\":\"gold\",\"notes\":\"";
    int pad = Math.max(0, dataBytes - head.length() - 2);
    StringBuilder b = new StringBuilder(dataBytes + 16).append(head);
    while (pad > 0) {
      int n = Math.min(pad, TEXT.length());
      b.append(TEXT, 0, n);
      pad -= n;
    }
    return b.append("\"}").toString();
  }

  /** A fresh event id. */
  public String nextId() {
    return runId + "-" + events.incrementAndGet();
  }

  /** One structured-mode event of {@code type} for the next warm subject in turn. */
  public String structuredWarm(String type) {
    return structured(type, nextWarmData());
  }

  /** One structured-mode event of {@code type} for {@code subject}. */
  public String structuredFor(String type, String subject) {
    return structured(type, data(subject));
  }

  /** A batch of {@code size} structured events of {@code type}, for the next {@code size} warm subjects in turn. */
  public String batchWarm(String type, int size) {
    StringBuilder b = new StringBuilder(size * (dataBytes + 300)).append('[');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(structured(type, nextWarmData()));
    }
    return b.append(']').toString();
  }

  /** A batch with one event of {@code type} for each of warm subjects {@code from} to {@code to - 1}. */
  public String batchOf(String type, int from, int to) {
    StringBuilder b = new StringBuilder((to - from) * (dataBytes + 300)).append('[');
    for (int i = from; i < to; i++) {
      if (i > from) {
        b.append(',');
      }
      b.append(structured(type, warmData[i]));
    }
    return b.append(']').toString();
  }

  /** The event of {@code type} with {@code data}, as the gateway would append it before sealing. */
  public CloudEvent cloudEvent(String type, String data) {
    return new CloudEvent("1.0", nextId(), source, type, "application/json", null, null, time, Map.of(), data);
  }

  private String nextWarmData() {
    return warmData[(int) Math.floorMod(warmTurn.getAndIncrement(), (long) warmData.length)];
  }

  private String structured(String type, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + nextId() + "\",\"source\":\"" + source + "\",\"type\":\"" + type
        + "\",\"datacontenttype\":\"application/json\",\"time\":\"" + time + "\",\"data\":" + data + "}";
  }
}

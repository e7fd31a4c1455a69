package dev.sluice.loadtests.ingest;

import java.util.List;

/**
 * Who a CPU sample of the ingest benchmark belongs to: which part of the one JVM (by its thread) and, for the gateway,
 * which component (by its stack). Pure functions of names, for {@link ProfileSummary}. The load generator's and the
 * bare handler's event loops are named like the gateway's; their part comes from a {@link ThreadRoleEvent} instead.
 */
final class CpuAttribution {
  /** The raw producer's sending threads. */
  static final String CEILING_THREADS = "ceiling-producer-";
  /** The raw producer's client id prefix, which Kafka puts in its I/O thread's name. */
  static final String CEILING_CLIENT_ID = "sluice-ingest-ceiling-";

  /** The parts of the benchmark's JVM. */
  enum Part {
    GATEWAY("gateway"),
    BROKER("Kafka broker"),
    GENERATOR("load generator"),
    CEILING("raw producer (a)"),
    BARE("bare handler"),
    JVM("JVM and JFR");

    private final String text;

    Part(String text) {
      this.text = text;
    }

    String text() {
      return text;
    }
  }

  /** A gateway component, and the class-name prefixes of its frames, most specific first. */
  enum Component {
    HTTP("Vert.x and Netty: HTTP, socket I/O, futures", "io.netty.", "io.vertx."),
    JSON("Jackson: JSON parsing and writing", "com.fasterxml.jackson."),
    PRODUCER("Kafka producer client", "org.apache.kafka."),
    METRICS("Micrometer metrics", "io.micrometer."),
    LOGGING("logging", "org.apache.logging.", "org.slf4j."),
    APPEND("the appender (dev.sluice.ingest.kafka)", "dev.sluice.ingest.kafka."),
    ADMISSION("admission (dev.sluice.ingest.admit)", "dev.sluice.ingest.admit."),
    EVENT("CloudEvent attribute checks and Kafka headers (dev.sluice.schemas.event)", "dev.sluice.schemas.event."),
    VALIDATION("schema validation and partition key (dev.sluice.schemas)", "dev.sluice.schemas."),
    READING("reading the CloudEvent (dev.sluice.ingest)", "dev.sluice.ingest."),
    DEDUP("dedup (dev.sluice.gateway.dedup)", "dev.sluice.gateway.dedup."),
    AUTH("API keys (dev.sluice.gateway.auth)", "dev.sluice.gateway.auth."),
    GATEWAY("handlers, guard, answers (dev.sluice.gateway)", "dev.sluice.gateway."),
    JDK("JDK code alone (collections, strings, locks, hashing)");

    private final String text;
    private final List<String> prefixes;

    Component(String text, String... prefixes) {
      this.text = text;
      this.prefixes = List.of(prefixes);
    }

    String text() {
      return text;
    }

    private boolean owns(String className) {
      return prefixes.stream().anyMatch(className::startsWith);
    }
  }

  private CpuAttribution() {}

  /** The part a thread belongs to, by its name, when no {@link ThreadRoleEvent} said. */
  static Part part(String thread) {
    // The benchmark's own thread: it sleeps through the runs, and sets the load generators going.
    if (thread.equals("main")) {
      return Part.GENERATOR;
    }
    if (thread.startsWith(CEILING_THREADS) || thread.contains(CEILING_CLIENT_ID)) {
      return Part.CEILING;
    }
    // The gateways' event loops, workers and sending threads, and their Kafka clients (client ids sluice-...).
    if (thread.startsWith("vert.x-") || thread.startsWith("vertx-") || thread.startsWith("sluice-")
        || thread.contains("| sluice-")) {
      return Part.GATEWAY;
    }
    if (thread.startsWith("JFR ") || thread.contains("CompilerThread") || List.of("Reference Handler",
        "Service Thread", "Common-Cleaner", "Monitor Deflation Thread", "Notification Thread", "Sweeper thread",
        "Signal Dispatcher", "Finalizer").contains(thread)) {
      return Part.JVM;
    }
    // Everything else is the embedded broker's: request handlers, network threads, raft, coordinators, reapers.
    return Part.BROKER;
  }

  /**
   * The gateway component a sample's CPU goes to: the one owning the frame nearest the top of the stack that any
   * component owns. So a HashMap lookup inside the dedup store counts for dedup, and a Netty write under a handler
   * for Vert.x and Netty.
   *
   * @param classes the class of each frame, the top (running) frame first
   */
  static Component component(List<String> classes) {
    for (String c : classes) {
      for (Component component : Component.values()) {
        if (component.owns(c)) {
          return component;
        }
      }
    }
    return Component.JDK;
  }

  /**
   * The package of the Sluice frame nearest the top of the stack: the Sluice code the sample's CPU was spent for,
   * in itself or in the libraries it called; or, when no Sluice frame is on the stack, {@link #NO_SLUICE_FRAME}.
   */
  static String sluiceOwner(List<String> classes) {
    for (String c : classes) {
      if (c.startsWith("dev.sluice.")) {
        int end = c.lastIndexOf('.');
        return c.substring(0, end);
      }
    }
    return NO_SLUICE_FRAME;
  }

  static final String NO_SLUICE_FRAME = "no Sluice frame: Vert.x and Netty (HTTP, I/O), Kafka client, JDK";

  /** The first three segments of a class's package, e.g. {@code io.netty.buffer}, for a coarse self-time table. */
  static String packageOf(String className) {
    int end = className.lastIndexOf('.');
    String pkg = end < 0 ? "" : className.substring(0, end);
    String[] segments = pkg.split("\\.");
    return segments.length <= 3 ? pkg : String.join(".", segments[0], segments[1], segments[2]);
  }
}

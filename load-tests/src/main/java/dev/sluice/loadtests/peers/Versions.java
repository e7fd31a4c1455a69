package dev.sluice.loadtests.peers;

import io.confluent.parallelconsumer.ParallelConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.kafka.core.KafkaTemplate;

/** The versions of the libraries compared, as their jars on the classpath say, for the report. */
final class Versions {
  private Versions() {}

  static String parallelConsumer() {
    return of(ParallelConsumer.class);
  }

  static String springKafka() {
    return of(KafkaTemplate.class);
  }

  static String kafkaClients() {
    return of(KafkaConsumer.class);
  }

  private static String of(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    // No version in the manifest: the jar's file name says it (name-1.2.3.jar).
    String jar = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    String file = jar.substring(jar.lastIndexOf('/') + 1).replace(".jar", "");
    int dash = file.lastIndexOf('-');
    return dash < 0 ? "unknown" : file.substring(dash + 1);
  }
}

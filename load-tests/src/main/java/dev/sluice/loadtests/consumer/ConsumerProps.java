package dev.sluice.loadtests.consumer;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The plain Kafka consumer settings every bare loop and peer gets, the same as the wrapper's: a fresh group read from the earliest
 * offset, the library committing (auto-commit off), {@value ConsumerBenchmark#MAX_POLL_RECORDS} records a poll.
 */
public final class ConsumerProps {
  private ConsumerProps() {}

  public static Map<String, Object> of(String bootstrap, String group) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", group);
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(ConsumerBenchmark.MAX_POLL_RECORDS));
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return props;
  }
}

package dev.sluice.gateway.registry;

import dev.sluice.schemas.catalog.StreamDefinition;

/**
 * Makes a stream's Kafka topic match its definition after {@code PUT /v1/streams/{stream}} saved it: created if
 * missing, grown to the defined partition count if smaller. Blocking (Kafka admin calls); called on a worker.
 */
@FunctionalInterface
public interface StreamTopics {
  /** Nothing to do: topics are provisioned elsewhere (tests, or operators who manage topics themselves). */
  StreamTopics NONE = stream -> {};

  /** @throws RuntimeException when the topic cannot be made to match; the PUT then answers 503 and may be retried */
  void ensure(StreamDefinition stream);
}

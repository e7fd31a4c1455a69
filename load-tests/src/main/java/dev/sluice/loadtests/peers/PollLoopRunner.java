package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.BarePollLoop;
import dev.sluice.loadtests.consumer.ConsumerProps;
import dev.sluice.loadtests.consumer.CountingHandler;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The baseline: a {@link BarePollLoop} (polling on one thread, handling on another, as the wrapper does) with
 * the peers' consumer settings, handing each record to {@code perRecord}.
 */
final class PollLoopRunner {
  private final Vertx vertx;
  private final String bootstrap;

  PollLoopRunner(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
  }

  Contender contender(String label, String topic, String group, Consumer<ConsumerRecord<byte[], byte[]>> perRecord,
      CountingHandler clock) {
    return new Contender(label, new BarePollLoop(vertx, ConsumerProps.of(bootstrap, group), topic, perRecord), clock,
        clock::calls);
  }
}

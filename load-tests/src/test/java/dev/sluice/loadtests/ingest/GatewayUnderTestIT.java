package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.deploy.engine.EmbeddedKafka;
import dev.sluice.loadtests.harness.LoopbackPorts;
import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest benchmark's gateway starts as {@code ./sluice bench} starts it, on a real broker and nothing else (no
 * DynamoDB: the benchmark runs none), takes batches, and its two event types differ by validation alone. A gateway
 * setting that needs another engine by default would stop the whole ingest suite before it measured anything; this
 * finds that in CI, not in a half-hour benchmark run.
 */
class GatewayUnderTestIT {
  @Test
  void gatewayStartsOnKafkaAloneAndItsTwinTypesDifferByValidationOnly(@TempDir Path dir) throws Exception {
    int[] ports = LoopbackPorts.free(2);
    Vertx client = Vertx.vertx();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), ports[0], ports[1]);
        GatewayUnderTest gateway = GatewayUnderTest.start(kafka.bootstrapServers(), Map.of())) {
      ProductEvents events = new ProductEvents("it", 1024, Instant.now().toString());
      GatewayProbes probes = new GatewayProbes(client, events);
      HttpTarget target = new HttpTarget("gateway", gateway.port(), "dev-producer");

      probes.requireAccepted(target);
      assertNull(probes.batchSupport(target));
      assertNull(probes.validationDiffers(target, events.twin(GatewayUnderTest.UNCHECKED_TYPE)));
    } finally {
      Progress.await(client.close(), 30);
    }
  }
}

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
 * The ingest benchmark's two gateways start as {@code ./sluice bench} starts them, on a real broker and nothing else
 * (no DynamoDB: the benchmark runs none), and differ by validation alone. A gateway setting that needs another engine
 * by default would stop the whole ingest suite before it measured anything; this finds that in CI, not in a
 * half-hour benchmark run.
 */
class GatewayUnderTestIT {
  @Test
  void bothGatewaysStartOnKafkaAloneAndDifferByValidationOnly(@TempDir Path dir) throws Exception {
    int[] ports = LoopbackPorts.free(2);
    Vertx client = Vertx.vertx();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), ports[0], ports[1]);
        GatewayUnderTest validating = GatewayUnderTest.start(kafka.bootstrapServers(), true, Map.of());
        GatewayUnderTest permissive = GatewayUnderTest.start(kafka.bootstrapServers(), false, Map.of())) {
      GatewayProbes probes = new GatewayProbes(client, new ProductEvents("it", 1024, Instant.now().toString()));
      HttpTarget on = new HttpTarget("gateway", validating.port(), "dev-producer");

      probes.requireAccepted(on);
      assertNull(probes.batchSupport(on));
      assertNull(probes.validationDiffers(on, new HttpTarget("gateway-no-validation", permissive.port(),
          "dev-producer")));
    } finally {
      Progress.await(client.close(), 30);
    }
  }
}

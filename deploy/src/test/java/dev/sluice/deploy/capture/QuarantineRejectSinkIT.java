package dev.sluice.deploy.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.gateway.capture.RateCappedRejectSink;
import dev.sluice.gateway.capture.RejectedEvent;
import dev.sluice.gateway.capture.SensitiveBody;
import dev.sluice.ingest.IngestProblem;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineQuery;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Rejected ingest requests kept as quarantine items in DynamoDB Local: one item per distinct bad request. */
@ExtendWith(EnginesExtension.class)
class QuarantineRejectSinkIT {
  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final List<Violation> VIOLATIONS =
      List.of(new Violation("/data/price", "exclusiveMinimum", "0 is not greater than 0"));

  private Vertx vertx;
  private DynamoDbClient dynamo;
  private QuarantineStore store;
  private QuarantineRejectSink sink;

  @BeforeEach
  void setUp(Engines engines) {
    vertx = Vertx.vertx();
    dynamo = AwsClients.dynamo(AwsConfig.local(engines.dynamoEndpoint(), engines.sqsEndpoint()));
    String table = "rejects-it-" + UUID.randomUUID().toString().substring(0, 8);
    QuarantineTable.ensure(dynamo, table);
    store = new QuarantineStore(vertx, dynamo, table, Clock.systemUTC());
    sink = new QuarantineRejectSink(store);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    dynamo.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static RejectedEvent reject(String id, String body) {
    return new RejectedEvent("retail", "retail", "retail.product.created", id, "/shop",
        body.getBytes(StandardCharsets.UTF_8), "application/cloudevents+json",
        Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer dev-producer",
            "traceparent", TRACEPARENT, "User-Agent", "it"),
        IngestProblem.SCHEMA_VIOLATION, VIOLATIONS, TRACEPARENT, Instant.now().truncatedTo(ChronoUnit.MILLIS),
        SensitiveBody.Withheld.NOTHING);
  }

  private List<QuarantineItem> ingressItems() throws Exception {
    return await(store.list(new QuarantineQuery(Optional.empty(), Optional.empty(),
        Optional.of(QuarantineItem.INGRESS_GROUP), 50)));
  }

  @Test
  void aRejectBecomesAnIngressItemWithItsViolationsBodyAndTrace() throws Exception {
    String body = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/shop\",\"type\":\"retail.product.created\","
        + "\"data\":{\"id\":\"p-1\",\"price\":0}}";
    RejectedEvent e = reject("e-1", body);
    await(sink.capture(e));

    List<QuarantineItem> items = ingressItems();
    assertEquals(1, items.size());
    QuarantineItem item = items.get(0);
    assertEquals(QuarantineItem.ingressIdFor("retail", "/shop", "e-1", body.getBytes(StandardCharsets.UTF_8)),
        item.id());
    assertEquals(QuarantineStatus.QUARANTINED, item.status());
    assertEquals("ingress", item.group());
    assertEquals("retail", item.stream());
    assertEquals("retail", item.topic());
    assertEquals(QuarantineItem.NOT_APPENDED, item.partition());
    assertEquals(QuarantineItem.NOT_APPENDED, item.offset());
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, item.reason());
    assertEquals(VIOLATIONS, item.violations());
    assertEquals(body, new String(item.payload(), StandardCharsets.UTF_8));
    assertEquals(Optional.of("e-1"), item.eventId());
    assertEquals(Optional.of("retail.product.created"), item.eventType());
    assertEquals(e.at(), item.quarantinedAt());
    Map<String, String> headers = item.headers().stream()
        .collect(Collectors.toMap(KafkaHeader::key, KafkaHeader::valueAsString));
    assertEquals(TRACEPARENT, headers.get("traceparent"));
    assertEquals("application/cloudevents+json", headers.get("content-type"));
    assertFalse(headers.containsKey("authorization"), "credentials are never stored");
    assertTrue(item.history().get(0).detail().contains("schema_violation"), item.history().toString());
  }

  @Test
  void theSameRejectTwiceIsOneItemAndAnotherBodyIsAnother() throws Exception {
    String body = "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"data\":{\"price\":-1}}";
    await(sink.capture(reject("e-2", body)));
    await(sink.capture(reject("e-2", body))); // the producer retried the same bad request
    assertEquals(1, ingressItems().size());

    await(sink.capture(reject("e-2", body.replace("-1", "-2")))); // fixed differently, still bad: worth seeing
    assertEquals(2, ingressItems().size());
  }

  @Test
  void behindTheRateCapWritesStopAtTheCapAndAreCounted() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    long frozen = System.nanoTime();
    RateCappedRejectSink capped = new RateCappedRejectSink(sink, 1, 3, () -> frozen, meters);
    for (int i = 0; i < 10; i++) {
      await(capped.capture(reject("flood-" + i, "{\"n\":" + i + "}")));
    }
    assertEquals(3, ingressItems().size());
    assertEquals(3, meters.get(RateCappedRejectSink.CAPTURED).tag("stream", "retail").counter().count());
    assertEquals(7, meters.get(RateCappedRejectSink.DROPPED).tags("stream", "retail", "cause", "rate_cap")
        .counter().count());
  }
}

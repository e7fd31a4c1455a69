package dev.sluice.console.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.ingress.StreamAppender.AppendFailed;
import dev.sluice.console.ingress.StreamAppender.Failure;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The appender's settings, and its failures against a broker that is not there (a real producer, pointed at a
 * loopback port where nothing listens). Appends against a live broker are {@code IngressRedriveIT}'s.
 */
class StreamAppenderTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void durabilityIsForcedWhateverTheSharedClientPropertiesSay() {
    Map<String, Object> config = StreamAppender.producerConfig(Map.of(
        "bootstrap.servers", "k:9092", "acks", "1", "enable.idempotence", "false",
        "max.in.flight.requests.per.connection", "20", "transactional.id", "tx", "linger.ms", "50",
        "security.protocol", "SSL"), Duration.ofSeconds(10));
    assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
    assertEquals("true", config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    assertEquals("5", config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
    assertFalse(config.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    assertEquals("0", config.get(ProducerConfig.LINGER_MS_CONFIG));
    assertEquals("SSL", config.get("security.protocol"), "connection settings pass through");
    assertEquals("k:9092", config.get("bootstrap.servers"));
    assertEquals(StreamAppender.CLIENT_ID, config.get(ProducerConfig.CLIENT_ID_CONFIG));
  }

  @Test
  void everyWaitFitsTheAppendTimeout() {
    Map<String, Object> config = StreamAppender.producerConfig(Map.of(), Duration.ofSeconds(10));
    long maxBlock = Long.parseLong((String) config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    long delivery = Long.parseLong((String) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    long request = Long.parseLong((String) config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
    assertEquals(10_000, maxBlock + delivery);
    assertEquals(delivery, request, "the 30 s default request timeout is lowered to fit the delivery timeout");
    assertThrows(IllegalArgumentException.class,
        () -> StreamAppender.producerConfig(Map.of("request.timeout.ms", "soon"), Duration.ofSeconds(10)));
  }

  @Test
  void anAppendToABrokerThatIsNotThereFailsInsteadOfHanging() throws Exception {
    StreamAppender appender = deadBroker();
    Future<StreamAppender.Appended> appended =
        appender.append("retail", "p-1", "{}".getBytes(), List.of(KafkaHeader.of("ce_id", "e")));
    // A guard against a hang, not a speed test: the producer's own bounds end it after about a second.
    Throwable failure = assertThrows(Exception.class, () -> appended.await(30, TimeUnit.SECONDS));
    assertEquals(Failure.TIMED_OUT, assertInstanceOf(AppendFailed.class, failure).failure());
    appender.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void afterCloseAppendsFailAtOnceAndCloseCanBeCalledAgain() throws Exception {
    StreamAppender appender = deadBroker();
    appender.close().await(30, TimeUnit.SECONDS);
    appender.close().await(30, TimeUnit.SECONDS);
    Future<StreamAppender.Appended> appended = appender.append("retail", "k", new byte[0], List.of());
    assertEquals(Failure.CLOSING, assertInstanceOf(AppendFailed.class, appended.cause()).failure());
  }

  private StreamAppender deadBroker() throws Exception {
    return StreamAppender.create(vertx, Map.of("bootstrap.servers", "127.0.0.1:1"), Duration.ofSeconds(1))
        .await(30, TimeUnit.SECONDS);
  }
}

package dev.sluice.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An appender with durable settings (the console's) and a real producer pointed at a loopback port where nothing
 * listens. The gateway's appender against the same dead broker, its bounds and metrics are {@code GatewayAppenderTest};
 * appends against a live broker are the integration tests'.
 */
class EventAppenderTest {
  private Vertx vertx;
  private final List<AppendFailure> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private EventAppender deadBroker() throws Exception {
    return EventAppender.create(vertx, AppenderSettings.durable(Map.of("bootstrap.servers", "127.0.0.1:1"),
        Duration.ofSeconds(1), "test"), heard::add).await(30, TimeUnit.SECONDS);
  }

  @Test
  void anAppendToABrokerThatIsNotThereFailsInsteadOfHanging() throws Exception {
    EventAppender appender = deadBroker();
    Future<Appended> appended =
        appender.append("retail", "p-1", "{}".getBytes(), List.of(KafkaHeader.of("ce_id", "e")));
    // A guard against a hang, not a speed test: the producer's own bounds end it after about a second.
    Throwable failure = assertThrows(Exception.class, () -> appended.await(30, TimeUnit.SECONDS));
    AppendFailure cause = assertInstanceOf(AppendFailedException.class, failure).failure();
    assertEquals(AppendFailure.BROKER_UNREACHABLE, cause, "metadata never arrived within max.block.ms");
    assertTrue(cause.retryable());
    assertEquals(List.of(cause), heard, "the observer hears of the retryable failure");
    appender.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void afterCloseAppendsFailAtOnceAndCloseCanBeCalledAgain() throws Exception {
    EventAppender appender = deadBroker();
    appender.close().await(30, TimeUnit.SECONDS);
    appender.close().await(30, TimeUnit.SECONDS);
    Future<Appended> appended = appender.append("retail", "k", new byte[0], List.of());
    assertEquals(AppendFailure.CLOSING, assertInstanceOf(AppendFailedException.class, appended.cause()).failure());
  }
}

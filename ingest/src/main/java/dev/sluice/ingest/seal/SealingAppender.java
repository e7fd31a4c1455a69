package dev.sluice.ingest.seal;

import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.ingest.kafka.EventAppender;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * How admitted events reach Kafka: sealed first ({@link EventSealing}), then appended ({@link EventAppender}). The
 * gateway's ingest and the console's redrive of an ingress reject both append through one, so neither can forget the
 * sealing; the appender also refuses an event whose marked values are still in the clear.
 */
public record SealingAppender(EventSealing sealing, EventAppender appender) {
  public SealingAppender {
    Objects.requireNonNull(sealing, "sealing");
    Objects.requireNonNull(appender, "appender");
  }

  /**
   * Seals, then appends. Fails with the key ring's {@code KeyUnavailableException} (nothing appended) when the key
   * cannot be had, and as {@link EventAppender#append(AdmittedEvent)} does otherwise.
   */
  public Future<Appended> append(AdmittedEvent event) {
    return sealing.seal(event).compose(appender::append);
  }
}

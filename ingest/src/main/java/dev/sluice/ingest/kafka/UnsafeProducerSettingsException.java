package dev.sluice.ingest.kafka;

import java.util.List;
import java.util.stream.Collectors;

/** The gateway refuses to start: the Kafka client properties would weaken what a 2xx promises. */
public final class UnsafeProducerSettingsException extends IllegalArgumentException {
  private final List<UnsafeProducerSetting> settings;

  public UnsafeProducerSettingsException(List<UnsafeProducerSetting> settings) {
    super("refusing unsafe Kafka producer settings: "
        + settings.stream().map(UnsafeProducerSetting::describe).collect(Collectors.joining("; "))
        + ". Remove them (the gateway defaults to acks=all with idempotence), or allow unsafe producer settings "
        + "explicitly to start anyway");
    this.settings = List.copyOf(settings);
  }

  public List<UnsafeProducerSetting> settings() {
    return settings;
  }
}

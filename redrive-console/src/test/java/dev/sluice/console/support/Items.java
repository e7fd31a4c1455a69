package dev.sluice.console.support;

import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Real quarantine item records for tests, built fresh on every call (no shared mutable state). */
public final class Items {
  public static final Instant QUARANTINED_AT = Instant.parse("2025-03-01T10:15:30.123Z");
  public static final Instant UPDATED_AT = Instant.parse("2025-03-01T10:20:00Z");
  public static final String PRODUCT =
      "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":250000}";

  private Items() {}

  /** A HANDLER_REJECTED retail.product.created, QUARANTINED, with headers, a key and one audit entry. */
  public static QuarantineItem rejectedProduct() {
    return item(QuarantineStatus.QUARANTINED, PRODUCT.getBytes(StandardCharsets.UTF_8),
        Optional.of("retail.product.created"), Optional.empty());
  }

  public static QuarantineItem item(
      QuarantineStatus status, byte[] payload, Optional<String> eventType, Optional<String> editedData) {
    return new QuarantineItem(
        QuarantineItem.idFor("catalog-builder", "retail", 2, 41L),
        status,
        "retail",
        "catalog-builder",
        "retail",
        2,
        41L,
        Optional.of("p-1"),
        payload,
        List.of(KafkaHeader.of("ce_type", "retail.product.created"), KafkaHeader.of("ce_id", "evt-9")),
        eventType.map(t -> "evt-9"),
        eventType,
        QuarantineReason.HANDLER_REJECTED,
        "dev.sluice.demo.PriceTooHigh",
        "price 250000 exceeds 100000",
        List.of(new Violation("/data/price", "maximum", "too high")),
        1,
        QUARANTINED_AT,
        UPDATED_AT,
        editedData,
        0,
        List.of(new AuditEntry(QUARANTINED_AT, "QUARANTINED", "catalog-builder", "handler rejected")));
  }
}

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

  /**
   * An ingress reject as the gateway keeps it: the HTTP body, the HTTP request headers (lower-case names), the
   * stream's topic, no partition or offset.
   */
  public static QuarantineItem ingressReject(String body, List<KafkaHeader> httpHeaders) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new QuarantineItem(
        QuarantineItem.ingressIdFor("retail", "/test", "evt-7", bytes),
        QuarantineStatus.QUARANTINED,
        "retail",
        QuarantineItem.INGRESS_GROUP,
        "retail",
        QuarantineItem.NOT_APPENDED,
        QuarantineItem.NOT_APPENDED,
        Optional.empty(),
        bytes,
        httpHeaders,
        Optional.of("evt-7"),
        Optional.of("retail.product.created"),
        QuarantineReason.SCHEMA_VIOLATION,
        "ingress:schema_violation",
        "refused at ingress: schema_violation, 1 violation",
        List.of(new Violation("/data/price", "exclusiveMinimum", "too low")),
        0,
        QUARANTINED_AT,
        QUARANTINED_AT,
        Optional.empty(),
        0,
        List.of(new AuditEntry(QUARANTINED_AT, "QUARANTINED", "gateway", "refused at ingress")));
  }

  /** A structured-mode product event with the given data JSON, as its HTTP body. */
  public static String structuredProduct(String dataJson) {
    return "{\"specversion\":\"1.0\",\"id\":\"evt-7\",\"source\":\"/test\",\"type\":\"retail.product.created\","
        + "\"data\":" + dataJson + "}";
  }

  public static List<KafkaHeader> structuredHeaders() {
    return List.of(KafkaHeader.of("content-type", "application/cloudevents+json"), KafkaHeader.of("user-agent", "t"));
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

package dev.sluice.gateway.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.ingest.IngestProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectedEventTest {
  @Test
  void onlyTheAllowedHeadersAreKeptWhateverACredentialIsCalled() {
    Map<String, String> sent = Map.of(
        "Content-Type", "application/json",
        "ce-specversion", "1.0",
        "ce-type", "retail.photographer.registered",
        "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "User-Agent", "producer/1.0",
        "X-Api-Key", "key-secret",
        "X-Amz-Security-Token", "token-secret",
        "Authorization", "Bearer secret",
        "Cookie", "session=secret",
        "X-Forwarded-For", "10.0.0.1");
    RejectedEvent e = new RejectedEvent("retail", "retail", null, null, null,
        "{}".getBytes(StandardCharsets.UTF_8), "application/json", sent, IngestProblem.SCHEMA_VIOLATION, List.of(),
        null, Instant.parse("2025-01-01T00:00:00Z"), SensitiveBody.Withheld.NOTHING);
    assertEquals(Map.of(
        "content-type", "application/json",
        "ce-specversion", "1.0",
        "ce-type", "retail.photographer.registered",
        "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "user-agent", "producer/1.0"), e.headers());
  }
}

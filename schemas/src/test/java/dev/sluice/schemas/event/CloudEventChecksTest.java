package dev.sluice.schemas.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventChecksTest {
  private static List<String> pointers(CloudEvent e) {
    return CloudEventChecks.check(e).stream().map(Violation::pointer).sorted().toList();
  }

  @Test
  void aCompleteEventHasNoViolations() {
    assertTrue(CloudEventChecks.check(new CloudEvent("1.0", "1", "/s", "t", "application/json",
        null, null, "2026-01-01T00:00:00Z", Map.of(), "{}")).isEmpty());
  }

  @Test
  void missingAndWrongAttributesArePointedAt() {
    assertEquals(List.of("/id", "/source", "/specversion", "/type"),
        pointers(new CloudEvent(null, null, null, null, null, null, null, null, Map.of(), "{}")));
    assertEquals(List.of("/datacontenttype", "/specversion", "/time"),
        pointers(new CloudEvent("0.3", "1", "/s", "t", "text/plain", null, null, "yesterday", Map.of(), "{}")));
  }

  @Test
  void extensionNamesFollowTheSpec() {
    assertEquals(List.of("/Bad_Name"),
        pointers(new CloudEvent("1.0", "1", "/s", "t", null, null, null, null, Map.of("Bad_Name", "x"), "{}")));
  }
}

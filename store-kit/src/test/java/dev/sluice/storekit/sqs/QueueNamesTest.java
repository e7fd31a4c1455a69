package dev.sluice.storekit.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueueNamesTest {
  @Test
  void aGroupNameKeepsOnlyWhatSqsAllows() {
    assertEquals("sluice-redrive-catalog-builder", QueueNames.forGroup("sluice", "redrive", "catalog-builder"));
    assertEquals("sluice-retry-a_b_c_d", QueueNames.forGroup("sluice", "retry", "a.b/c d"));
  }

  @Test
  void namesAreCutToEightyCharacters() {
    String name = QueueNames.forGroup("sluice", "retry", "g".repeat(200));
    assertEquals(80, name.length());
    assertEquals("sluice-retry-" + "g".repeat(67), name);
    assertEquals(80, QueueNames.of("sluice", "console-job", "j".repeat(100)).length());
    assertEquals("sluice-console-job-42", QueueNames.of("sluice", "console-job", "42"));
  }
}

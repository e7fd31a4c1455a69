package dev.sluice.schemas.event;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapturedHeadersTest {
  @Test
  void keepsWhatDescribesTheEventInAnyCase() {
    for (String name : new String[] {"Content-Type", "content-type", "ce-id", "CE-Type", "ce-myextension",
        "traceparent", "TraceState", "User-Agent"}) {
      assertTrue(CapturedHeaders.kept(name), name);
    }
  }

  @Test
  void dropsEverythingElseCredentialsIncluded() {
    for (String name : new String[] {"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key",
        "X-Amz-Security-Token", "X-Auth-Token", "Api-Key", "Forwarded", "X-Forwarded-For", "Host", "ce-", "ce",
        "content-type-x", "x-ce-id", ""}) {
      assertFalse(CapturedHeaders.kept(name), name);
    }
    assertFalse(CapturedHeaders.kept(null));
  }
}

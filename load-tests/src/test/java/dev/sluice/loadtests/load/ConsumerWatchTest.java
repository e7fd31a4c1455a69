package dev.sluice.loadtests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerWatchTest {
  @Test
  void sumsAndMaximaOverLabels() {
    String text = """
        # HELP sluice_consumer_events_handled_total events the handler accepted
        # TYPE sluice_consumer_events_handled_total counter
        sluice_consumer_events_handled_total{group="catalog-builder",stream="retail"} 120.0
        sluice_consumer_events_handled_total{group="other",stream="retail"} 3.0
        sluice_consumer_lag_records{group="g",partition="0",topic="retail"} 7.0
        sluice_consumer_lag_records{group="g",partition="1",topic="retail"} 5.0
        sluice_consumer_head_of_line_age_seconds{group="g",partition="0",topic="retail"} 0.25
        sluice_consumer_head_of_line_age_seconds{group="g",partition="1",topic="retail"} 1.5
        sluice_consumer_weird{a="b"} NaNx
        sluice_gateway_requests_total{stream="retail"} 9.0
        """;
    Map<String, double[]> m = ConsumerWatch.parse(text);
    assertEquals(123.0, m.get(ConsumerWatch.HANDLED)[0]);
    assertEquals(12.0, m.get(ConsumerWatch.LAG)[0]);
    assertEquals(1.5, m.get(ConsumerWatch.HEAD_OF_LINE_AGE)[1]);
    assertFalse(m.containsKey("sluice_consumer_weird"));
    assertFalse(m.containsKey("sluice_gateway_requests_total"));
  }
}

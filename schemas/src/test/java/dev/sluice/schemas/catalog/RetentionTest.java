package dev.sluice.schemas.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class RetentionTest {

  @Test
  void foreverKeepsEverythingAndAnIsoDurationKeepsThatLong() {
    assertEquals(Retention.FOREVER, Retention.parse("forever"));
    assertEquals(-1, Retention.FOREVER.retentionMs());
    assertEquals(Duration.ofDays(30).toMillis(), Retention.parse("P30D").retentionMs());
    assertEquals(Optional.of("P30D"), Retention.parse("P30D").json());
    assertEquals(Optional.of("PT36H"), Retention.parse("PT36H").json());
    assertEquals(Optional.of("forever"), Retention.FOREVER.json());
  }

  @Test
  void lessThanAnHourOrAnythingElseIsRefusedWithTheRule() {
    IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class, () -> Retention.parse("PT5M"));
    assertTrue(shortOne.getMessage().contains("at least one hour"), shortOne.getMessage());
    IllegalArgumentException words = assertThrows(IllegalArgumentException.class, () -> Retention.parse("7 days"));
    assertTrue(words.getMessage().contains("\"forever\" or an ISO-8601 duration"), words.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Retention.parse("Forever"));
  }

  @Test
  void aStreamThatDoesNotSayGetsTheDeploymentsRetention() {
    Retention deployment = Retention.keep(Duration.ofDays(7));
    assertEquals(deployment, Retention.DEPLOYMENT_DEFAULT.or(deployment));
    assertEquals(Retention.FOREVER, Retention.FOREVER.or(deployment));
    assertEquals(Optional.empty(), Retention.DEPLOYMENT_DEFAULT.json());
    assertThrows(IllegalStateException.class, Retention.DEPLOYMENT_DEFAULT::retentionMs);
  }

  @Test
  void theCatalogReadsAndWritesIt() {
    JSONObject json = new JSONObject("{\"name\":\"orders\",\"retention\":\"P90D\",\"types\":[{\"type\":\"t\","
        + "\"partitionKey\":\"/id\"}]}");
    StreamDefinition orders = StreamCatalog.parseStream(json);
    assertEquals(Retention.keep(Duration.ofDays(90)), orders.retention());
    assertEquals(orders, StreamCatalog.parseStream(StreamCatalog.toJson(orders)));
    StreamDefinition unsaid = StreamCatalog.parseStream(new JSONObject("{\"name\":\"o\",\"types\":[]}"));
    assertEquals(Retention.DEPLOYMENT_DEFAULT, unsaid.retention());
    assertTrue(!StreamCatalog.toJson(unsaid).has("retention"), "an unsaid retention stays unsaid in the log");
  }

  @Test
  void theDemosPublishedStreamKeepsEverything() {
    assertEquals(Retention.FOREVER, StreamCatalog.loadDefault().stream("retail").orElseThrow().retention());
  }
}

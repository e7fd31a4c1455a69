package dev.sluice.deploy.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.deploy.testing.MetricsCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every query of every dashboard in {@code deploy/grafana/} names only catalogued metrics ({@code docs/metrics.md}) or
 * recording rules defined in {@code deploy/prometheus/}, and the overview has the rows on-call looks for.
 */
class DashboardQueriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MetricsCatalogue catalogue = MetricsCatalogue.load();

  private static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("grafana"))) {
      List<Path> found = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertFalse(found.isEmpty(), "no dashboards in deploy/grafana");
      return found;
    }
  }

  /** Every PromQL string of a dashboard: panel targets (rows' nested panels too) and templating queries. */
  private static List<String> queries(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    dashboard.findValues("expr").forEach(n -> out.add(n.asText()));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode q = variable.path("query");
        out.add(q.isObject() ? q.path("query").asText() : q.asText());
      }
    }
    return out;
  }

  @Test
  void everyQueryNamesOnlyCataloguedMetrics() throws IOException {
    String rules = Files.readString(Path.of("prometheus", "sluice-rules.yml"));
    Set<String> unknown = new TreeSet<>();
    int metricsSeen = 0;
    for (Path file : dashboards()) {
      for (String q : queries(JSON.readTree(file.toFile()))) {
        for (String metric : MetricsCatalogue.metricsIn(q)) {
          metricsSeen++;
          if (catalogue.familyOf(metric).isEmpty()) {
            unknown.add(file.getFileName() + ": " + metric);
          }
        }
        java.util.regex.Matcher recorded = java.util.regex.Pattern.compile("sluice:[a-z0-9_:]+").matcher(q);
        while (recorded.find()) {
          if (!rules.contains("record: " + recorded.group())) {
            unknown.add(file.getFileName() + ": recording rule " + recorded.group());
          }
        }
      }
    }
    assertTrue(metricsSeen > 20, "the dashboards query the catalogue: " + metricsSeen);
    assertTrue(unknown.isEmpty(), "queried but not catalogued: " + unknown);
  }

  @Test
  void theOverviewHasARowPerConcernAndUsesTheCurrentSchema() throws IOException {
    JsonNode overview = JSON.readTree(Path.of("grafana", "sluice-overview.json").toFile());
    assertTrue(overview.path("schemaVersion").asInt() >= 36, "current dashboard schema");
    List<String> rows = new ArrayList<>();
    for (JsonNode panel : overview.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        rows.add(panel.path("title").asText());
      } else {
        assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText() + " has queries");
        assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), "data source is a variable");
      }
    }
    assertEquals(List.of("Ingest", "Consumers", "Quarantine", "Redrive"), rows);
  }
}

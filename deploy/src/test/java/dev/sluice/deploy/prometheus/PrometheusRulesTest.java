package dev.sluice.deploy.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.deploy.docs.MarkdownDocs;
import dev.sluice.deploy.testing.MetricsCatalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alert rules in {@code deploy/prometheus/} are valid ({@code promtool check rules}), their unit tests pass
 * ({@code promtool test rules}), and every alert has at least one test case it fires in and one it stays silent in.
 * promtool comes from Debian's {@code prometheus} package, which {@code .ci/run} installs.
 */
class PrometheusRulesTest {
  private static final Path DIR = Path.of("prometheus");
  private static final Path RULES = DIR.resolve("sluice-rules.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  @Timeout(60)
  void promtoolAcceptsTheRules() throws Exception {
    Result r = promtool("check", "rules", RULES.toString());
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("SUCCESS"), r.output());
  }

  @Test
  @Timeout(120)
  void promtoolUnitTestsPass() throws Exception {
    List<String> cmd = new ArrayList<>(List.of("test", "rules"));
    testFiles().forEach(p -> cmd.add(p.toString()));
    Result r = promtool(cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.output());
    assertFalse(r.output().contains("FAILED"), r.output());
  }

  @Test
  void everyAlertHasAFiringAndASilentTestCase() throws IOException {
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule.get("alert").asText());
        }
      }
    }
    assertTrue(alerts.size() >= 10, "alerts found: " + alerts);
    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (Path file : testFiles()) {
      JsonNode doc = YAML.readTree(file.toFile());
      assertTrue(doc.path("rule_files").toString().contains("sluice-rules.yml"), file + " tests the rules file");
      for (JsonNode test : doc.path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String name = check.path("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? silent : firing).add(name);
        }
      }
    }
    Set<String> notFiring = new TreeSet<>(alerts);
    notFiring.removeAll(firing);
    Set<String> notSilent = new TreeSet<>(alerts);
    notSilent.removeAll(silent);
    assertTrue(notFiring.isEmpty(), "alerts without a test case they fire in: " + notFiring);
    assertTrue(notSilent.isEmpty(), "alerts without a test case they stay silent in: " + notSilent);
    Set<String> unknown = new TreeSet<>(firing);
    unknown.addAll(silent);
    unknown.removeAll(alerts);
    assertTrue(unknown.isEmpty(), "tests of alerts that do not exist: " + unknown);
  }

  @Test
  void theRulesQueryOnlyCataloguedMetrics() throws IOException {
    MetricsCatalogue catalogue = MetricsCatalogue.load();
    Set<String> unknown = new TreeSet<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        for (String metric : MetricsCatalogue.metricsIn(rule.path("expr").asText())) {
          if (catalogue.familyOf(metric).isEmpty()) {
            unknown.add(rule.path(rule.has("alert") ? "alert" : "record").asText() + ": " + metric);
          }
        }
      }
    }
    assertTrue(unknown.isEmpty(), "rules over metrics not in docs/metrics.md: " + unknown);
  }

  @Test
  void everyAlertLinksToARunbookSectionOfTheDocs() throws IOException {
    Set<String> missing = new TreeSet<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          // Relative to the repository root, as it reads in a checkout or on GitHub.
          String runbook = rule.path("annotations").path("runbook").asText();
          if (!runbook.startsWith("docs/runbooks.md#")
              || MarkdownDocs.problem(MarkdownDocs.ROOT.resolve("README.md"), runbook).isPresent()) {
            missing.add(rule.get("alert").asText() + " -> " + runbook);
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), "runbook links without a section in docs/runbooks.md: " + missing);
  }

  private static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(DIR.resolve("tests"))) {
      List<Path> found = files.filter(p -> p.toString().endsWith("-test.yml")).sorted().toList();
      assertFalse(found.isEmpty(), "no promtool tests in " + DIR.resolve("tests"));
      return found;
    }
  }

  private record Result(int exit, String output) {}

  private static Result promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("promtool");
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      throw new AssertionError("promtool is not on the PATH: install Debian's `prometheus` package (.ci/run does)",
          notInstalled);
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}

package dev.sluice.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The probes and the scrape path in deploy/k8s point at endpoints that exist: each Deployment's liveness and
 * readiness paths, and the ServiceMonitor's /metrics, answer 200 on the part its container runs, in the running stack.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ProbesIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void probedPathsAnswerOnTheirParts(Stack stack) throws Exception {
    Map<String, String> urls = Map.of("gateway", stack.gatewayUrl(), "console", stack.consoleUrl(),
        "demo", stack.demoUrl());
    String scrapePath = YAML.readTree(Path.of("k8s/servicemonitor.yaml").toFile())
        .path("spec").path("endpoints").get(0).path("path").asText();
    Http http = new Http();
    int checked = 0;
    for (String part : urls.keySet()) {
      JsonNode container = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Path.of("k8s", part + ".yaml").toFile())
          .readAll().stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow()
          .path("spec").path("template").path("spec").path("containers").get(0);
      assertEquals(part, container.path("args").get(0).asText());
      List<String> paths = new ArrayList<>();
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        if (container.has(probe)) {
          paths.add(container.path(probe).path("httpGet").path("path").asText());
        }
      }
      paths.add(scrapePath);
      for (String path : paths) {
        Http.Response r = http.get(urls.get(part) + path);
        assertEquals(200, r.status(), part + " " + path + ": " + r.body());
        checked++;
      }
    }
    assertTrue(checked >= 9, "three paths per part at least");
  }
}

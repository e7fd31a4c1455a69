package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.report.Ratio;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ./sluice bench} run as data: its ratios and whether it was a smoke run. Written beside the Markdown
 * table ({@code bench.json} next to {@code bench.md}) so that runs can be compared later.
 *
 * @param file where it was read from (for people)
 */
public record BenchRun(Path file, boolean smoke, List<Ratio> ratios) {
  public BenchRun {
    ratios = List.copyOf(ratios);
  }

  static JsonObject toJson(List<Ratio> ratios, boolean smoke) {
    JsonArray array = new JsonArray();
    ratios.forEach(r -> array.add(r.toJson()));
    return new JsonObject().put("smoke", smoke).put("ratios", array);
  }

  static BenchRun read(Path file) throws IOException {
    JsonObject o = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    JsonArray array = o.getJsonArray("ratios", new JsonArray());
    List<Ratio> ratios = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      ratios.add(Ratio.fromJson(array.getJsonObject(i)));
    }
    return new BenchRun(file, o.getBoolean("smoke", false), ratios);
  }

  /** {@code bench.json} beside {@code bench.md} (the extension replaced, or added). */
  static Path jsonBeside(Path markdown) {
    String name = markdown.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return markdown.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
  }
}

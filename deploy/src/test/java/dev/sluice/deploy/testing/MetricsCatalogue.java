package dev.sluice.deploy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics catalogue, {@code docs/metrics.md}, read from its table: one row per metric family with its type and
 * labels. Tests compare scrapes, dashboards and alert rules with it.
 */
public final class MetricsCatalogue {
  /** One catalogued family, e.g. {@code sluice_gateway_ingest_duration_seconds}, {@code histogram}, its labels. */
  public record Entry(String name, String type, Set<String> labels) {}

  private static final Pattern ROW = Pattern.compile("^\\| `(sluice_[a-z0-9_]+)` \\| ([a-z]+) \\| [^|]* \\| ([^|]*) \\|");
  private static final Pattern METRIC = Pattern.compile("\\bsluice_[a-z0-9_]+");
  private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

  private final Map<String, Entry> entries;

  private MetricsCatalogue(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** Reads {@code docs/metrics.md} from the repository root (tests run in a module directory). */
  public static MetricsCatalogue load() {
    Path doc = Path.of("..", "docs", "metrics.md");
    try {
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (String line : Files.readAllLines(doc)) {
        Matcher m = ROW.matcher(line);
        if (m.find()) {
          Set<String> labels = new TreeSet<>();
          Arrays.stream(m.group(3).split(",")).map(String::trim).filter(s -> !s.isEmpty() && !s.equals("—"))
              .forEach(labels::add);
          if (entries.put(m.group(1), new Entry(m.group(1), m.group(2), labels)) != null) {
            throw new IllegalStateException("catalogued twice: " + m.group(1));
          }
        }
      }
      return new MetricsCatalogue(entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Map<String, Entry> entries() {
    return entries;
  }

  /**
   * The family a series name belongs to: itself when catalogued, else the catalogued histogram or summary it is a
   * {@code _bucket}, {@code _count}, {@code _sum} or {@code _max} series of; empty when none.
   */
  public java.util.Optional<Entry> familyOf(String series) {
    Entry direct = entries.get(series);
    if (direct != null) {
      return java.util.Optional.of(direct);
    }
    for (String suffix : SERIES_SUFFIXES) {
      if (series.endsWith(suffix)) {
        Entry e = entries.get(series.substring(0, series.length() - suffix.length()));
        if (e != null && (e.type().equals("histogram") || e.type().equals("summary"))) {
          return java.util.Optional.of(e);
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Every {@code sluice_…} name a PromQL expression mentions. */
  public static Set<String> metricsIn(String promql) {
    Set<String> found = new TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }
}

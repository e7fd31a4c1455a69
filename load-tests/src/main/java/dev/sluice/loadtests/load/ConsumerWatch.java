package dev.sluice.loadtests.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches a consumer through its Prometheus endpoint ({@code <demo>/metrics}) once a second: how many events it
 * handled and quarantined, its lag and its oldest head-of-line age. This is how the poison scenario shows whether the
 * consumer keeps flowing through a storm; it reads nothing but the public metrics.
 */
public final class ConsumerWatch {
  static final String HANDLED = "sluice_consumer_events_handled_total";
  static final String QUARANTINED = "sluice_consumer_events_quarantined_total";
  static final String LAG = "sluice_consumer_lag_records";
  static final String HEAD_OF_LINE_AGE = "sluice_consumer_head_of_line_age_seconds";

  /** One scrape: counters summed over their labels, the lag summed, the head-of-line age as its maximum. */
  public record Sample(double second, double handled, double quarantined, double lag, double headOfLineAgeSeconds) {}

  private final URI metrics;
  private final long startNanos;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile String lastProblem;

  public ConsumerWatch(URI demo, long startNanos) {
    this.metrics = URI.create(demo + "/metrics");
    this.startNanos = startNanos;
    this.thread = Daemons.unstarted("consumer-watch", this::loop);
  }

  public void start() {
    thread.start();
  }

  public void close() {
    thread.interrupt();
  }

  /** One scrape now, or null when the endpoint did not answer. */
  public Sample scrape() {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).GET()
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        lastProblem = "GET " + metrics + " answered " + r.statusCode();
        return null;
      }
      Map<String, double[]> m = parse(r.body());
      Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, sum(m, HANDLED), sum(m, QUARANTINED),
          sum(m, LAG), max(m, HEAD_OF_LINE_AGE));
      synchronized (samples) {
        samples.add(s);
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      lastProblem = e.toString();
      return null;
    }
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  public String lastProblem() {
    return lastProblem;
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        scrape();
        Thread.sleep(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Prometheus text: each {@code sluice_consumer_} family's values as {sum, max}; other lines are skipped. */
  static Map<String, double[]> parse(String text) {
    Map<String, double[]> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("sluice_consumer_")) {
        continue;
      }
      int nameEnd = line.indexOf('{');
      int valueStart = nameEnd < 0 ? line.indexOf(' ') : line.indexOf("} ", nameEnd) + 1;
      if (nameEnd < 0) {
        nameEnd = line.indexOf(' ');
      }
      if (nameEnd <= 0 || valueStart <= 0) {
        continue;
      }
      String[] rest = line.substring(valueStart).trim().split("\\s+");
      double v;
      try {
        v = Double.parseDouble(rest[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      double[] agg = out.computeIfAbsent(line.substring(0, nameEnd), k -> new double[] {0, Double.NEGATIVE_INFINITY});
      agg[0] += v;
      agg[1] = Math.max(agg[1], v);
    }
    return out;
  }

  private static double sum(Map<String, double[]> m, String name) {
    double[] v = m.get(name);
    return v == null ? 0 : v[0];
  }

  private static double max(Map<String, double[]> m, String name) {
    double[] v = m.get(name);
    return v == null ? 0 : v[1];
  }
}

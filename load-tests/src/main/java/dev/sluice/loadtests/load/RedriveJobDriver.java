package dev.sluice.loadtests.load;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The redrive scenario's bulk job: one {@code POST /api/v1/redrives} over the group's QUARANTINED items at the
 * redrive rate, then its progress read once a second ({@code GET /api/v1/redrives/{id}}) while the live traffic runs,
 * and the job cancelled when the load ends if it is still running, so the run stops by itself.
 */
final class RedriveJobDriver {
  /** One progress reading, {@code second} counted from the start of the run. */
  record Sample(double second, String state, long total, long sent, long succeeded, long failedAgain, long skipped) {}

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI console;
  private final String token;
  private final long startNanos;
  private final List<Sample> samples = new ArrayList<>();
  private String id;
  private long matched;
  private volatile String lastProblem;
  private Thread poller;

  RedriveJobDriver(URI console, String token, long startNanos) {
    this.console = console;
    this.token = token;
    this.startNanos = startNanos;
  }

  /**
   * Starts the job; false (with {@link #lastProblem()}) when the console refused it, or when a dry run first counts
   * more than {@code maxItems} matches (the run is bounded in count: narrow the group or raise {@code --items}).
   */
  boolean start(String group, double ratePerSecond, long maxItems) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("filter", new JsonObject().put("group", group))
        .put("ratePerSecond", (int) Math.max(1, Math.round(ratePerSecond))).put("dryRun", true);
    HttpResponse<String> counted = create(body);
    if (counted.statusCode() != 202) {
      lastProblem = "POST /api/v1/redrives (dry run) answered " + counted.statusCode() + ": " + counted.body();
      return false;
    }
    long wouldMatch = new JsonObject(counted.body()).getLong("matched", 0L);
    if (wouldMatch > maxItems) {
      lastProblem = String.format("%,d items match, more than --items %,d", wouldMatch, maxItems);
      return false;
    }
    body.put("dryRun", false);
    HttpResponse<String> r = create(body);
    if (r.statusCode() != 202) {
      lastProblem = "POST /api/v1/redrives answered " + r.statusCode() + ": " + r.body();
      return false;
    }
    JsonObject created = new JsonObject(r.body());
    id = created.getString("id");
    matched = created.getLong("matched", 0L);
    poller = Daemons.unstarted("redrive-job-progress", this::poll);
    poller.start();
    return true;
  }

  /** {@code POST /api/v1/redrives} with {@code body}: the dry run that counts the matches, or the job itself. */
  private HttpResponse<String> create(JsonObject body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(console.resolve("/api/v1/redrives"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), Duration.ofSeconds(120));
  }

  private void poll() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        read();
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        lastProblem = e.toString();
      }
    }
  }

  private void read() throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(console.resolve("/api/v1/redrives/" + id)).GET(),
        Duration.ofSeconds(10));
    if (r.statusCode() != 200) {
      lastProblem = "GET /api/v1/redrives/" + id + " answered " + r.statusCode();
      return;
    }
    JsonObject job = new JsonObject(r.body());
    JsonObject c = job.getJsonObject("counts", new JsonObject());
    Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, job.getString("state"), c.getLong("total", 0L),
        c.getLong("sent", 0L), c.getLong("succeeded", 0L), c.getLong("failedAgain", 0L), c.getLong("skipped", 0L));
    synchronized (samples) {
      samples.add(s);
    }
  }

  /** At the end of the load: one last reading, and the job cancelled if it still runs (bounded, like the load). */
  void finish() throws InterruptedException {
    if (poller == null) {
      return;
    }
    poller.interrupt();
    poller.join(5_000);
    try {
      read();
      Sample last = last();
      if (last != null && (last.state().equals("RUNNING") || last.state().equals("PAUSED"))) {
        send(HttpRequest.newBuilder(console.resolve("/api/v1/redrives/" + id + "/cancel"))
            .POST(HttpRequest.BodyPublishers.noBody()), Duration.ofSeconds(30));
        read();
      }
    } catch (IOException e) {
      lastProblem = e.toString();
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder b, Duration timeout) throws IOException, InterruptedException {
    return client.send(b.header("Authorization", "Bearer " + token).header("Accept", "application/json")
        .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
  }

  String id() {
    return id;
  }

  long matched() {
    return matched;
  }

  String lastProblem() {
    return lastProblem;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  Sample last() {
    synchronized (samples) {
      return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }
  }
}

package dev.sluice.loadtests.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids the redrive scenario redrives: pages of the group's QUARANTINED items from the console
 * ({@code GET /api/v1/quarantine?status=QUARANTINED&group=...&limit=500}), fetched ahead on a daemon thread, each id
 * handed out once, at most {@code limit} in all. The console has no cursor: a redriven item leaves QUARANTINED, so the
 * next page shows the next items; an item that comes back (its redrive failed again) is not taken twice.
 */
public final class RedriveItems {
  private static final int PAGE = 500;

  private final URI list;
  private final int limit;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ConcurrentLinkedQueue<String> ready = new ConcurrentLinkedQueue<>();
  private final Set<String> seen = new HashSet<>(); // only the fetch thread touches it
  private final AtomicLong handedOut = new AtomicLong();
  private final AtomicLong listCalls = new AtomicLong();
  private final Thread thread;
  private volatile String lastProblem;

  public RedriveItems(URI console, String group, int limit) {
    this.list = URI.create(console + "/api/v1/quarantine?status=QUARANTINED&group="
        + URLEncoder.encode(group, StandardCharsets.UTF_8) + "&limit=" + PAGE);
    this.limit = limit;
    this.thread = Daemons.unstarted("redrive-items", this::fetchLoop);
  }

  /** The first page, synchronously: how many items are there to start with (up to a page). */
  public int prefetch() throws Exception {
    int n = fetchPage();
    thread.start();
    return n;
  }

  public void close() {
    thread.interrupt();
  }

  /** The next id to redrive, or null when none is ready (or the limit is reached). */
  public String next() {
    if (handedOut.get() >= limit) {
      return null;
    }
    String id = ready.poll();
    if (id != null && handedOut.incrementAndGet() > limit) {
      return null;
    }
    return id;
  }

  public long handedOut() {
    return Math.min(limit, handedOut.get());
  }

  public long listCalls() {
    return listCalls.get();
  }

  public String lastProblem() {
    return lastProblem;
  }

  private void fetchLoop() {
    try {
      while (handedOut.get() < limit) {
        if (ready.size() >= PAGE / 2) {
          Thread.sleep(100);
          continue;
        }
        int added = 0;
        try {
          added = fetchPage();
        } catch (Exception e) {
          lastProblem = e.toString();
        }
        // Nothing new: the console lists only what was already taken (or nothing); ask again a second later.
        if (added == 0) {
          Thread.sleep(1_000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return how many new ids the page added */
  private int fetchPage() throws Exception {
    listCalls.incrementAndGet();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + list + " answered " + r.statusCode() + ": " + r.body());
    }
    JsonArray items = new JsonObject(r.body()).getJsonArray("items", new JsonArray());
    int added = 0;
    for (int i = 0; i < items.size(); i++) {
      String id = items.getJsonObject(i).getString("id");
      if (id != null && seen.size() < limit && seen.add(id)) {
        ready.add(id);
        added++;
      }
    }
    return added;
  }
}

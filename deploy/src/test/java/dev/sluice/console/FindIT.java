package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Find: server-side filters on the real DynamoDB indexes, cursor pagination that neither skips nor repeats, counts,
 * and failure-fingerprint groups. Each test seeds items under a group (or stream, or token) of its own.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class FindIT {
  private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
  private final Http http = Http.operator();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Http.Response find(Stack stack, Map<String, String> params) {
    return http.get(stack.consoleUrl() + "/api/v1/quarantine" + query(params));
  }

  private static String query(Map<String, String> params) {
    StringBuilder q = new StringBuilder();
    params.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return q.toString();
  }

  private static Map<String, String> params(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<String> ids(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("items").forEach(i -> out.add(((JsonObject) i).getString("id")));
    return out;
  }

  /** Follows nextCursor to the end; every page is checked for shape. */
  private List<String> allPages(Stack stack, Map<String, String> filter, int limit, long expectedCount) {
    List<String> out = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 100; pages++) {
      Map<String, String> p = new LinkedHashMap<>(filter);
      p.put("limit", Integer.toString(limit));
      if (cursor != null) {
        p.put("cursor", cursor);
      }
      Http.Response r = find(stack, p);
      assertEquals(200, r.status(), r.body());
      JsonObject page = r.json();
      assertEquals(expectedCount, page.getLong("count"), "the count covers the whole filter on every page");
      assertTrue(page.getBoolean("countExact"));
      assertTrue(page.getJsonArray("items").size() <= limit);
      out.addAll(ids(page));
      cursor = page.getString("nextCursor");
      if (cursor == null) {
        return out;
      }
    }
    throw new AssertionError("more than 100 pages");
  }

  @Test
  void pagesThroughAGroupNewestFirstWithoutSkippingOrRepeating(Stack stack) throws Exception {
    String group = unique("find-group");
    List<String> newestFirst = new ArrayList<>();
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      for (int i = 0; i < 11; i++) {
        // Three items share each timestamp, so pages must break ties by id.
        newestFirst.add(0, seeds.put(Seed.of("retail", group, i, T0.plusSeconds(i / 3))));
      }
    }
    List<String> paged = allPages(stack, params("group", group), 4, 11);
    assertEquals(11, paged.size(), paged.toString());
    assertEquals(11, new HashSet<>(paged).size(), "no item twice: " + paged);
    assertEquals(Set.copyOf(newestFirst), Set.copyOf(paged));
    // Newest first: quarantinedAt never increases along the pages.
    JsonObject all = find(stack, params("group", group, "limit", "100")).json();
    List<String> times = all.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("quarantinedAt"))
        .toList();
    List<String> sorted = new ArrayList<>(times);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertEquals(sorted, times);
    assertEquals(ids(all), paged, "paging gives the same order as one big page");
  }

  @Test
  void everyFilterNarrowsTheListAndTheCount(Stack stack) throws Exception {
    String group = unique("find-filters");
    String a;
    String b;
    String c;
    String d;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      a = seeds.put(Seed.of("retail", group, 1, T0));
      b = seeds.put(Seed.of("retail", group, 2, T0.plusSeconds(60)).status(QuarantineStatus.PARKED)
          .data("{\"id\":\"p-2\",\"name\":\"Blue Hammer\",\"price\":3}"));
      c = seeds.put(Seed.of("orders", group, 3, T0.plusSeconds(120)).type("orders.order.placed")
          .failure(QuarantineReason.SCHEMA_VIOLATION, "", List.of(new Violation("/data/total", "minimum", "low"))));
      d = seeds.put(Seed.of("retail", group, 4, T0.plusSeconds(180)).status(QuarantineStatus.DISCARDED));
    }
    assertEquals(List.of(d, c, b, a), ids(find(stack, params("group", group)).json()));
    assertEquals(List.of(b), ids(find(stack, params("group", group, "status", "PARKED")).json()));
    assertEquals(List.of(d, b, a), ids(find(stack, params("group", group, "stream", "retail")).json()));
    assertEquals(List.of(c), ids(find(stack, params("group", group, "type", "orders.order.placed")).json()));
    assertEquals(List.of(c), ids(find(stack, params("group", group, "reason", "schema_violation")).json()));
    assertEquals(List.of(a), ids(find(stack, params("group", group, "key", "p-1")).json()));
    assertEquals(List.of(b), ids(find(stack, params("group", group, "q", "blue hammer")).json()));
    JsonObject range = find(stack, params("group", group, "from", T0.plusSeconds(60).toString(),
        "to", T0.plusSeconds(180).toString())).json();
    assertEquals(List.of(c, b), ids(range), "from is inclusive, to exclusive");
    assertEquals(2, range.getLong("count"));
    JsonObject none = find(stack, params("group", group, "status", "RETRYING")).json();
    assertEquals(0, none.getLong("count"));
    assertNull(none.getString("nextCursor"));
  }

  @Test
  void aStreamAloneAndNoIndexedFieldAtAllPageCorrectlyToo(Stack stack) throws Exception {
    String stream = unique("find-stream");
    String token = unique("needle");
    List<String> seeded = new ArrayList<>();
    QuarantineStatus[] statuses = QuarantineStatus.values();
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      for (int i = 0; i < 9; i++) {
        // Spread over every status, so that the unindexed find merges six index queries.
        seeds.put(Seed.of(stream, unique("g"), i, T0.plusMillis(i)).status(statuses[i % statuses.length])
            .data("{\"id\":\"p-" + i + "\",\"note\":\"" + token + "\"}"));
      }
    }
    List<String> byStream = allPages(stack, params("stream", stream), 2, 9);
    assertEquals(9, new HashSet<>(byStream).size(), byStream.toString());
    List<String> byText = allPages(stack, params("q", token), 2, 9);
    assertEquals(byStream, byText, "the same items in the same order, whichever index answered");
  }

  @Test
  void badFiltersAreProblemsNamingTheParameter(Stack stack) {
    for (Map<String, String> bad : List.of(params("status", "LOST"), params("from", "last tuesday"),
        params("cursor", "xyz"), params("limit", "0"), params("reason", "nope"),
        params("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z"))) {
      Http.Response r = find(stack, bad);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
      String expected = bad.containsKey("to") ? "to" : bad.keySet().iterator().next();
      assertEquals(expected, r.json().getString("parameter"), r.body());
    }
  }

  @Test
  void groupsFoldItemsThatFailedTheSameWayIntoOneLine(Stack stack) throws Exception {
    String group = unique("find-fingerprints");
    String newestPrice;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      for (int i = 0; i < 4; i++) {
        seeds.put(Seed.of("retail", group, i, T0.plusSeconds(i)).failure(QuarantineReason.SCHEMA_VIOLATION, "",
            List.of(new Violation("/data/price", "minimum", "-" + i + " is too low"))));
      }
      newestPrice = Seed.of("retail", group, 3, T0).id();
      seeds.put(Seed.of("retail", group, 10, T0.plusSeconds(30)));
      seeds.put(Seed.of("retail", group, 11, T0.plusSeconds(40)));
    }
    Http.Response r = http.get(stack.consoleUrl() + "/api/v1/quarantine/groups?group=" + group);
    assertEquals(200, r.status(), r.body());
    JsonObject body = r.json();
    assertTrue(body.getBoolean("complete"));
    JsonArray groups = body.getJsonArray("groups");
    assertEquals(2, groups.size(), groups.encode());
    JsonObject price = groups.getJsonObject(0);
    assertEquals(4, price.getLong("count"));
    assertEquals("retail.product.created", price.getString("type"));
    assertEquals("SCHEMA_VIOLATION", price.getString("reason"));
    assertEquals("/data/price", price.getString("locus"));
    assertEquals(T0.toString(), price.getString("firstSeen"));
    assertEquals(T0.plusSeconds(3).toString(), price.getString("lastSeen"));
    assertEquals(newestPrice, price.getString("sampleId"), "the newest item is the sample");
    JsonObject handler = groups.getJsonObject(1);
    assertEquals(2, handler.getLong("count"));
    assertEquals("dev.sluice.demo.PriceTooHigh", handler.getString("locus"));

    // The fingerprint filters the list, too: the way from a group's line to its items.
    JsonObject items = find(stack, params("group", group, "fingerprint", price.getString("fingerprint"))).json();
    assertEquals(4, items.getLong("count"));
    assertTrue(items.getJsonArray("items").stream()
        .allMatch(i -> price.getString("fingerprint").equals(((JsonObject) i).getString("fingerprint"))));
    assertFalse(http.get(stack.consoleUrl() + "/api/v1/quarantine/groups?status=nope").status() == 200);
  }
}

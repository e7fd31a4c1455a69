package dev.sluice.console.catalog;

import dev.sluice.quarantine.groups.GroupView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the live consumer groups declare they read of one event type, as its block on a stream's page shows it: per
 * pointer the groups that read it ({@code pointers}, in pointer order: "3 groups read /data/price"), and per group
 * its owner, contact (null when unstated) and pointers ({@code groups}, by name): who to talk to before changing a
 * field. Every declaring group is listed, whichever streams it reads: the type's schema is the same on each. Pure.
 */
public final class DeclaredReadsJson {
  private DeclaredReadsJson() {}

  public static JsonObject of(String type, List<GroupView> groups) {
    TreeMap<String, SortedSet<String>> byPointer = new TreeMap<>();
    JsonArray declaring = new JsonArray();
    groups.stream().filter(g -> g.declaresReadsOf(type))
        .sorted(Comparator.comparing(GroupView::group)).forEach(g -> {
          SortedSet<String> pointers = g.contract().reads().get(type);
          pointers.forEach(p -> byPointer.computeIfAbsent(p, k -> new TreeSet<>()).add(g.group()));
          declaring.add(new JsonObject().put("group", g.group())
              .put("owner", g.contract().owner().isEmpty() ? null : g.contract().owner())
              .put("contact", g.contract().contact().isEmpty() ? null : g.contract().contact())
              .put("pointers", new JsonArray(List.copyOf(pointers))));
        });
    JsonArray pointers = new JsonArray();
    byPointer.forEach((pointer, readers) -> pointers.add(new JsonObject().put("pointer", pointer)
        .put("groups", new JsonArray(List.copyOf(readers)))));
    return new JsonObject().put("pointers", pointers).put("groups", declaring);
  }
}

package dev.sluice.gateway.registry;

import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.AffectedReader;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.contracts.TouchedRead;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the registry's answers tell breaking changes and the consumer groups a change affects. Bounded: a type may
 * have many live groups, and each may read hundreds of pointers, so an answer lists at most {@value #MAX_GROUPS}
 * groups and {@value #MAX_TOUCHES} touches per group, then says how many more there are. Pure.
 */
public final class ContractJson {
  /** Most groups listed in one answer. */
  public static final int MAX_GROUPS = 100;
  /** Most (read, change) touches listed for one group. */
  public static final int MAX_TOUCHES = 20;

  private ContractJson() {}

  /** {@code [{"pointer", "rule", "message", "paths"}]}: pointers into a schema, paths into the data. */
  public static JsonArray changes(List<BreakingChange> changes) {
    JsonArray out = new JsonArray();
    for (BreakingChange c : changes) {
      out.add(new JsonObject().put("pointer", c.pointer()).put("rule", c.rule()).put("message", c.message())
          .put("paths", new JsonArray(c.paths())));
    }
    return out;
  }

  /**
   * Adds {@code name}: the groups, at most {@value #MAX_GROUPS}; past that also {@code <name>Omitted}, the number of
   * groups not listed. Each group is {@code {"group", "owner", "contact", "pointers", "rules", "changes"}}: the
   * declared pointers touched, the rules that touch them, and each touch (the read, the rule, the change's schema
   * pointer, data paths and message), at most {@value #MAX_TOUCHES}, then {@code changesOmitted}.
   */
  public static JsonObject putGroups(JsonObject out, String name, List<AffectedReader> groups) {
    JsonArray listed = new JsonArray();
    groups.stream().limit(MAX_GROUPS).forEach(g -> listed.add(group(g)));
    out.put(name, listed);
    if (groups.size() > MAX_GROUPS) {
      out.put(name + "Omitted", groups.size() - MAX_GROUPS);
    }
    return out;
  }

  /**
   * Adds {@code affects} (and {@code affectsUnknown} when the groups could not be read) to an answer about a proposed
   * schema.
   */
  public static JsonObject putAffects(JsonObject out, ContractImpact impact, Optional<String> unknownBecause) {
    putGroups(out, "affects", impact.affects());
    unknownBecause.ifPresent(why -> out.put("affectsUnknown", why));
    return out;
  }

  private static JsonObject group(AffectedReader g) {
    JsonArray pointers = new JsonArray();
    JsonArray touches = new JsonArray();
    int total = 0;
    for (TouchedRead read : g.reads()) {
      pointers.add(read.pointer());
      for (BreakingChange c : read.changes()) {
        if (total++ < MAX_TOUCHES) {
          touches.add(new JsonObject().put("read", read.pointer()).put("rule", c.rule()).put("pointer", c.pointer())
              .put("paths", new JsonArray(c.paths())).put("message", c.message()));
        }
      }
    }
    JsonObject out = new JsonObject().put("group", g.group()).put("owner", g.owner()).put("contact", g.contact())
        .put("pointers", pointers).put("rules", new JsonArray(new ArrayList<>(g.rules()))).put("changes", touches);
    if (total > MAX_TOUCHES) {
      out.put("changesOmitted", total - MAX_TOUCHES);
    }
    return out;
  }

  /**
   * The groups as lines for a human (the Confluent API's {@code messages}, a 409's detail): {@code affects group
   * `billing` (owner `payments`, contact `#pay`): /data/price (type-narrowed)}; at most {@value #MAX_GROUPS}, then a
   * line with the number of the others.
   */
  public static List<String> lines(String verb, List<AffectedReader> groups) {
    List<String> out = new ArrayList<>();
    for (AffectedReader g : groups.stream().limit(MAX_GROUPS).toList()) {
      List<String> reads = new ArrayList<>();
      for (TouchedRead read : g.reads().stream().limit(MAX_TOUCHES).toList()) {
        Set<String> rules = new LinkedHashSet<>();
        read.changes().forEach(c -> rules.add(c.rule()));
        reads.add(read.pointer() + " (" + String.join(", ", rules) + ")");
      }
      if (g.reads().size() > MAX_TOUCHES) {
        reads.add((g.reads().size() - MAX_TOUCHES) + " more reads");
      }
      out.add(verb + " group `" + g.group() + "`" + about(g) + ": " + String.join("; ", reads));
    }
    if (groups.size() > MAX_GROUPS) {
      out.add(verb + " " + (groups.size() - MAX_GROUPS) + " more groups");
    }
    return out;
  }

  private static String about(AffectedReader g) {
    List<String> parts = new ArrayList<>();
    if (!g.owner().isEmpty()) {
      parts.add("owner `" + g.owner() + "`");
    }
    if (!g.contact().isEmpty()) {
      parts.add("contact `" + g.contact() + "`");
    }
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }
}

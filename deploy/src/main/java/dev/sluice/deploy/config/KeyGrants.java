package dev.sluice.deploy.config;

import dev.sluice.quarantine.consumer.KeyGrant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which consumer groups this deployment wires to unseal sealed values, and of which streams
 * ({@code sluice.crypto.grants}): the wrappers it runs (the demo consumer) are built with
 * {@code unsealWith(keys, grant)} for their group's grant, and without keys when their group has none.
 *
 * <p>The format is {@code group=stream1|stream2;group2=*}: entries separated by {@code ;}, each a consumer group, an
 * {@code =}, and either {@code *} (every stream the group reads) or stream names separated by {@code |}. {@code none}
 * grants no group. Names are Kafka names (letters, digits, {@code .}, {@code _}, {@code -}); spaces around them are
 * ignored. Anything else is refused at start-up, naming the entry and what is wrong with it.
 *
 * <p>This is the dev list of grants. What a process may actually read is its permission on the key table and the
 * key-encryption key; in production grant each group's role exactly what its grant here asks for, or it waits on a
 * denial ({@code access_denied}, alerted on).
 *
 * <p>{@code sluice.demo.unseal}, the older switch for the demo group alone, still works while
 * {@code sluice.crypto.grants} is unset: {@code true} (the default) grants the demo group every stream, {@code false}
 * none. Setting both is refused, so that one list says who is granted.
 *
 * @param byGroup each granted group's grant; a group not in it is ungranted
 */
public record KeyGrants(Map<String, KeyGrant> byGroup) {
  static final String KEY = "sluice.crypto.grants";
  static final String DEMO_UNSEAL = "sluice.demo.unseal";
  /** The value that grants no group. */
  static final String NONE = "none";
  private static final String EVERY_STREAM = "*";
  /** Kafka's legal topic name characters, which stream names and group names here use. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public KeyGrants {
    byGroup = Map.copyOf(byGroup);
  }

  /** No group granted. */
  public static KeyGrants none() {
    return new KeyGrants(Map.of());
  }

  /** The grant of {@code group}, or empty when it is ungranted. */
  public Optional<KeyGrant> of(String group) {
    return Optional.ofNullable(byGroup.get(group));
  }

  /**
   * The grants as configured, or from {@code sluice.demo.unseal} for {@code demoGroup} when
   * {@code sluice.crypto.grants} is unset. A problem (recorded on {@code r}) leaves no group granted.
   */
  static KeyGrants read(ConfigReader r, String demoGroup) {
    boolean demoUnsealSet = r.optionalString(DEMO_UNSEAL).isPresent();
    boolean demoUnseal = r.bool(DEMO_UNSEAL, true);
    Optional<String> configured = r.optionalString(KEY);
    if (configured.isEmpty()) {
      return demoUnseal ? new KeyGrants(Map.of(demoGroup, KeyGrant.allStreams())) : none();
    }
    if (demoUnsealSet) {
      r.problem(DEMO_UNSEAL + " and " + KEY + " are both set: " + KEY + " alone says which groups are granted (e.g. "
          + demoGroup + "=* to grant the demo group, or leave it out); remove " + DEMO_UNSEAL);
    }
    return r.parse(KEY, none(), KeyGrants::parse, "group=stream1|stream2;group2=* or none");
  }

  /**
   * Parses {@code group=stream1|stream2;group2=*}, or {@code none}.
   *
   * @throws IllegalArgumentException saying which entry is wrong, and how
   */
  static KeyGrants parse(String text) {
    if (text.strip().equals(NONE)) {
      return none();
    }
    Map<String, KeyGrant> byGroup = new LinkedHashMap<>();
    for (String raw : text.split(";", -1)) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("an empty entry (entries are group=streams, separated by ';', with no "
            + "';' at the end)");
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("entry '" + entry + "' has no '=': write group=stream1|stream2 or "
            + "group=*");
      }
      String group = entry.substring(0, eq).strip();
      if (!NAME.matcher(group).matches()) {
        throw new IllegalArgumentException("entry '" + entry + "': '" + group + "' is not a consumer group name "
            + "(letters, digits, '.', '_', '-')");
      }
      if (byGroup.put(group, grant(entry, entry.substring(eq + 1).strip())) != null) {
        throw new IllegalArgumentException("group '" + group + "' is listed twice: give it one entry");
      }
    }
    return new KeyGrants(byGroup);
  }

  private static KeyGrant grant(String entry, String streams) {
    if (streams.equals(EVERY_STREAM)) {
      return KeyGrant.allStreams();
    }
    Set<String> names = new HashSet<>();
    for (String raw : streams.split("\\|", -1)) {
      String stream = raw.strip();
      if (stream.equals(EVERY_STREAM)) {
        throw new IllegalArgumentException("entry '" + entry + "': '*' stands alone (it grants every stream)");
      }
      if (!NAME.matcher(stream).matches()) {
        throw new IllegalArgumentException("entry '" + entry + "': '" + stream + "' is not a stream name (letters, "
            + "digits, '.', '_', '-'; streams separated by '|')");
      }
      if (!names.add(stream)) {
        throw new IllegalArgumentException("entry '" + entry + "': stream '" + stream + "' is listed twice");
      }
    }
    return KeyGrant.only(names);
  }
}

package dev.sluice.quarantine.groups;

import dev.sluice.schemas.contracts.ReadContract;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What one instance of a consumer group says about itself in each heartbeat.
 *
 * @param group the Kafka consumer group
 * @param instanceId this process among the group's instances: unique per process start (see {@link #newInstanceId})
 * @param host where it runs, for operators
 * @param streams the streams (or topics, for topics outside the catalog) it reads
 * @param versionsSeen per CloudEvent type, the schema versions it validated events against recently (see
 *     {@link SchemaVersionsSeen}); types with no version are dropped
 * @param staleness per stream it owns partitions of now, the worst staleness of those partitions in seconds (now
 *     minus the event time of the newest event handled, while records wait; 0 when caught up)
 * @param contract what the group declares it reads, and who owns it ({@link ReadContract#NONE} when it declares
 *     nothing); at most {@value #MAX_CONTRACT_BYTES} bytes ({@link #contractBytes})
 * @param outcomes per stream it reads, the records it handled and quarantined since its previous heartbeat, and that
 *     window's length (see {@link OutcomeWindow}); empty in its first heartbeat, or when it reports none
 */
public record GroupHeartbeat(
    String group, String instanceId, String host, SortedSet<String> streams,
    SortedMap<String, SortedSet<Integer>> versionsSeen, SortedMap<String, Double> staleness,
    ReadContract contract, SortedMap<String, StreamOutcomes> outcomes) {
  /** Bounds that keep one registry item far below DynamoDB's 400 KB item limit. */
  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_STREAMS = 1_000;
  public static final int MAX_TYPES = 1_000;
  public static final int MAX_VERSIONS_PER_TYPE = 100;
  /**
   * The most a read contract may weigh in the item (UTF-8 bytes of its owner, contact, types and pointers). Its own
   * bounds allow a few hundred KB of long non-ASCII pointers; a real contract is a few KB.
   */
  public static final int MAX_CONTRACT_BYTES = 32 * 1024;

  public GroupHeartbeat {
    name("group", group);
    name("instanceId", instanceId);
    name("host", host);
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(versionsSeen, "versionsSeen");
    if (streams.size() > MAX_STREAMS) {
      throw new IllegalArgumentException("at most " + MAX_STREAMS + " streams per heartbeat, got " + streams.size());
    }
    streams.forEach(s -> name("stream", s));
    streams = Collections.unmodifiableSortedSet(new TreeSet<>(streams));
    TreeMap<String, SortedSet<Integer>> versions = new TreeMap<>();
    versionsSeen.forEach((type, set) -> {
      name("type", type);
      if (set.size() > MAX_VERSIONS_PER_TYPE) {
        throw new IllegalArgumentException("at most " + MAX_VERSIONS_PER_TYPE + " versions per type, got "
            + set.size() + " for " + type);
      }
      if (!set.isEmpty()) {
        versions.put(type, Collections.unmodifiableSortedSet(new TreeSet<>(set)));
      }
    });
    if (versions.size() > MAX_TYPES) {
      throw new IllegalArgumentException("at most " + MAX_TYPES + " types per heartbeat, got " + versions.size());
    }
    versionsSeen = Collections.unmodifiableSortedMap(versions);
    staleness = checkedStaleness(staleness);
    contract = checkedContract(contract);
    outcomes = checkedOutcomes(outcomes);
  }

  /** Without outcomes. */
  public GroupHeartbeat(String group, String instanceId, String host, SortedSet<String> streams,
      SortedMap<String, SortedSet<Integer>> versionsSeen, SortedMap<String, Double> staleness,
      ReadContract contract) {
    this(group, instanceId, host, streams, versionsSeen, staleness, contract, new TreeMap<>());
  }

  /** Without a read contract. */
  public GroupHeartbeat(String group, String instanceId, String host, SortedSet<String> streams,
      SortedMap<String, SortedSet<Integer>> versionsSeen, SortedMap<String, Double> staleness) {
    this(group, instanceId, host, streams, versionsSeen, staleness, ReadContract.NONE);
  }

  /** Without staleness: an instance that owns no partition (or reports none). */
  public GroupHeartbeat(String group, String instanceId, String host, SortedSet<String> streams,
      SortedMap<String, SortedSet<Integer>> versionsSeen) {
    this(group, instanceId, host, streams, versionsSeen, new TreeMap<>(), ReadContract.NONE);
  }

  /** This heartbeat, declaring {@code contract}. */
  public GroupHeartbeat withContract(ReadContract contract) {
    return new GroupHeartbeat(group, instanceId, host, streams, versionsSeen, staleness, contract, outcomes);
  }

  /** This heartbeat, reporting {@code outcomes} per stream. */
  public GroupHeartbeat withOutcomes(Map<String, StreamOutcomes> outcomes) {
    return new GroupHeartbeat(group, instanceId, host, streams, versionsSeen, staleness, contract,
        new TreeMap<>(outcomes));
  }

  /**
   * The contract, if it fits in a heartbeat: at most {@value #MAX_CONTRACT_BYTES} bytes. Checked again here though
   * the wrapper checks it when built, because every heartbeat is stored as is.
   */
  public static ReadContract checkedContract(ReadContract contract) {
    Objects.requireNonNull(contract, "contract");
    int bytes = contractBytes(contract);
    if (bytes > MAX_CONTRACT_BYTES) {
      throw new IllegalArgumentException("a read contract takes at most " + MAX_CONTRACT_BYTES + " bytes in the group"
          + " registry, this one " + bytes + ": declare fewer or shorter pointers (or * for any item or member)");
    }
    return contract;
  }

  /** The UTF-8 bytes of the contract's owner, contact, types and pointers: about its size in the registry item. */
  public static int contractBytes(ReadContract contract) {
    int bytes = utf8(contract.owner()) + utf8(contract.contact());
    for (var e : contract.reads().entrySet()) {
      bytes += utf8(e.getKey());
      for (String p : e.getValue()) {
        bytes += utf8(p);
      }
    }
    return bytes;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** A sorted, unmodifiable copy; at most one entry per stream bound, each a finite number of seconds, at least 0. */
  static SortedMap<String, Double> checkedStaleness(Map<String, Double> staleness) {
    Objects.requireNonNull(staleness, "staleness");
    if (staleness.size() > MAX_STREAMS) {
      throw new IllegalArgumentException("at most " + MAX_STREAMS + " streams' staleness, got " + staleness.size());
    }
    TreeMap<String, Double> copy = new TreeMap<>();
    staleness.forEach((stream, seconds) -> {
      name("stream", stream);
      if (seconds == null || !Double.isFinite(seconds) || seconds < 0) {
        throw new IllegalArgumentException("the staleness of " + stream + " must be finite and at least 0, was "
            + seconds);
      }
      copy.put(stream, seconds);
    });
    return Collections.unmodifiableSortedMap(copy);
  }

  /** A sorted, unmodifiable copy; at most one entry per stream bound, none null. */
  static SortedMap<String, StreamOutcomes> checkedOutcomes(Map<String, StreamOutcomes> outcomes) {
    Objects.requireNonNull(outcomes, "outcomes");
    if (outcomes.size() > MAX_STREAMS) {
      throw new IllegalArgumentException("at most " + MAX_STREAMS + " streams' outcomes, got " + outcomes.size());
    }
    TreeMap<String, StreamOutcomes> copy = new TreeMap<>();
    outcomes.forEach((stream, o) -> {
      name("stream", stream);
      copy.put(stream, Objects.requireNonNull(o, "outcomes of " + stream));
    });
    return Collections.unmodifiableSortedMap(copy);
  }

  /** Accepts any collections; copies and sorts them. No staleness. */
  public static GroupHeartbeat of(
      String group, String instanceId, String host, Set<String> streams, Map<String, ? extends Set<Integer>> versions) {
    return of(group, instanceId, host, streams, versions, Map.of());
  }

  /** Accepts any collections; copies and sorts them. */
  public static GroupHeartbeat of(String group, String instanceId, String host, Set<String> streams,
      Map<String, ? extends Set<Integer>> versions, Map<String, Double> staleness) {
    TreeMap<String, SortedSet<Integer>> sorted = new TreeMap<>();
    versions.forEach((type, set) -> sorted.put(type, new TreeSet<>(set)));
    return new GroupHeartbeat(group, instanceId, host, new TreeSet<>(streams), sorted, new TreeMap<>(staleness));
  }

  /** A fresh instance id: host, process id and a random suffix, so a restarted process is a new instance. */
  public static String newInstanceId(String host) {
    String id = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    return id.length() <= MAX_NAME_LENGTH ? id : id.substring(id.length() - MAX_NAME_LENGTH);
  }

  /**
   * This machine's name: {@code HOSTNAME} if set, else the resolver's answer, else "unknown". May do a DNS lookup, so
   * call it once at start-up, never on an event loop.
   */
  public static String localHost() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return truncate(env.strip());
    }
    try {
      return truncate(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  private static String truncate(String s) {
    return s.length() <= MAX_NAME_LENGTH ? s : s.substring(0, MAX_NAME_LENGTH);
  }

  private static void name(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(what + " must be 1-" + MAX_NAME_LENGTH + " characters, not blank");
    }
  }
}

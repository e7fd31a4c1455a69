package dev.sluice.schemas.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registry-wide numeric ids of schema documents, as Confluent-compatible clients use them (the 4-byte id in their wire
 * format): one id per distinct schema (by {@link SchemaFingerprint canonical fingerprint}), the same for every type and
 * version that has that schema.
 *
 * <p>An id is derived from the schema itself: the first 31 bits of its SHA-256 fingerprint (0 is never used). So a
 * schema has the same id on every replica, after every restart, and even in a registry rebuilt from the same schema
 * files in another order: the ids written into Kafka records by Confluent serializers stay readable. Two different
 * schemas whose 31-bit values collide (about one chance in a thousand among 2,000 schemas) are told apart by the registry
 * log: the one registered first keeps the value, the later one takes the next free value after it. That depends on
 * the log order, which every replica applies alike ({@link RegistryState#apply}), and the log never drops nor moves a
 * schema record, so the outcome is as stable as the log.
 *
 * <p>Immutable: {@link #with} answers a new instance.
 */
public final class SchemaIds {
  private static final SchemaIds EMPTY = new SchemaIds(Map.of(), Map.of());
  /** Mask to a positive int: ids fit Confluent's signed 32-bit id. */
  private static final int POSITIVE = 0x7fff_ffff;

  private final Map<String, Integer> byFingerprint;
  /** The first version that registered each schema: its text is what the id answers with. */
  private final Map<Integer, SchemaVersion> byId;

  private SchemaIds(Map<String, Integer> byFingerprint, Map<Integer, SchemaVersion> byId) {
    this.byFingerprint = byFingerprint;
    this.byId = byId;
  }

  public static SchemaIds empty() {
    return EMPTY;
  }

  /** The id a schema with this fingerprint gets when no other schema holds it: its first 31 bits, never 0. */
  public static int preferred(String fingerprint) {
    int id = (int) (Long.parseLong(fingerprint.substring(0, 8), 16) & POSITIVE);
    return id == 0 ? 1 : id;
  }

  /**
   * These ids once {@code version} is applied, in log order: unchanged if its schema already has an id, else its
   * {@link #preferred} id or, if another schema holds that, the next free one (wrapping past the largest to 1).
   */
  public SchemaIds with(SchemaVersion version) {
    if (byFingerprint.containsKey(version.fingerprint())) {
      return this;
    }
    int id = preferred(version.fingerprint());
    while (byId.containsKey(id)) {
      id = id == POSITIVE ? 1 : id + 1;
    }
    Map<String, Integer> fingerprints = new HashMap<>(byFingerprint);
    fingerprints.put(version.fingerprint(), id);
    Map<Integer, SchemaVersion> ids = new HashMap<>(byId);
    ids.put(id, version);
    return new SchemaIds(Map.copyOf(fingerprints), Map.copyOf(ids));
  }

  /** The id of the schema with this fingerprint, if any version has it. */
  public Optional<Integer> id(String fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  /** The first version registered with the schema of this id. */
  public Optional<SchemaVersion> schema(int id) {
    return Optional.ofNullable(byId.get(id));
  }
}

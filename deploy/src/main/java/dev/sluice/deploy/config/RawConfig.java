package dev.sluice.deploy.config;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The untyped configuration, as loaded once from the optional file and the environment: an immutable, sorted map
 * from dotted lower-case keys ({@code sluice.gateway.port}) to values. Typed records are read from it through
 * {@link ConfigReader}.
 */
public final class RawConfig extends AbstractMap<String, String> {
    private static final RawConfig EMPTY = new RawConfig(Map.of(), Map.of());

    private final Map<String, String> values;
    private final Map<String, String> origins;

    RawConfig(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.origins = Map.copyOf(origins);
    }

    public static RawConfig empty() {
        return EMPTY;
    }

    /** A config from a plain map, e.g. in tests; every value's origin is "given". */
    public static RawConfig of(Map<String, String> values) {
        return new RawConfig(values, Map.of());
    }

    /**
     * This config with {@code key} set to {@code value} unless it is already set: a default that depends on how Sluice
     * was started (e.g. {@code ./sluice dev} turns the console's dev users on), still overridable by file and
     * environment.
     */
    public RawConfig withDefault(String key, String value, String origin) {
        if (values.containsKey(key)) {
            return this;
        }
        Map<String, String> v = new TreeMap<>(values);
        v.put(key, value);
        Map<String, String> o = new java.util.HashMap<>(origins);
        o.put(key, origin);
        return new RawConfig(v, o);
    }

    public Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Where a key's value came from ("environment variable SLUICE_X", "file sluice.properties"), for messages. */
    public String origin(String key) {
        return origins.getOrDefault(key, "given");
    }

    /**
     * The keys under {@code prefix} with the prefix stripped: {@code subset("sluice.kafka")} turns
     * {@code sluice.kafka.bootstrap.servers} into {@code bootstrap.servers}, so such a subset can be handed verbatim
     * to a Kafka client. A trailing dot on the prefix is optional.
     */
    public RawConfig subset(String prefix) {
        String dotted = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, String> sub = new TreeMap<>();
        Map<String, String> subOrigins = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(dotted) && key.length() > dotted.length()) {
                String stripped = key.substring(dotted.length());
                sub.put(stripped, value);
                if (origins.containsKey(key)) {
                    subOrigins.put(stripped, origins.get(key));
                }
            }
        });
        return new RawConfig(sub, subOrigins);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return values.entrySet();
    }

    @Override
    public String get(Object key) {
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }
}

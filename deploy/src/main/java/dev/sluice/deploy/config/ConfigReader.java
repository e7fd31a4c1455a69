package dev.sluice.deploy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed values from a {@link RawConfig} and collects every problem instead of stopping at the first one.
 *
 * <p>Each getter returns the configured value, or the default when the key is absent. A value that does not parse
 * is recorded as a problem and the default is returned, so reading can go on and report everything;
 * {@link #validate()} then throws one {@link ConfigException} listing them all. Typical use, per config record:
 *
 * <pre>{@code
 * static GatewayConfig read(ConfigReader r) {
 *     return r.build("sluice.gateway", () -> new GatewayConfig(
 *             r.port("sluice.gateway.port", 8080),
 *             r.duration("sluice.gateway.request.timeout", Duration.ofSeconds(10))));
 * }
 * }</pre>
 */
public final class ConfigReader {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final RawConfig raw;
    private final List<String> problems = new ArrayList<>();
    // Every key and prefix a section asked for, so that keys nobody reads (typos, removed settings) can be named.
    private final java.util.Set<String> keysRead = new java.util.HashSet<>();
    private final java.util.Set<String> prefixesRead = new java.util.HashSet<>();

    public ConfigReader(RawConfig raw) {
        this.raw = raw;
    }

    public RawConfig raw() {
        return raw;
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    /** Absent or blank values are empty. */
    public Optional<String> optionalString(String key) {
        keysRead.add(key);
        return raw.value(key).filter(v -> !v.isBlank());
    }

    public int integer(String key, int defaultValue) {
        return integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        // Parsed as an int first, so a value past the int range is "not an integer", not "out of range".
        return parse(key, defaultValue, value -> (int) within(Integer.parseInt(value), min, max), "an integer");
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        return parse(key, defaultValue, value -> within(Long.parseLong(value), min, max), "an integer");
    }

    private static long within(long n, long min, long max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return n;
    }

    /** A TCP port, 1..65535. */
    public int port(String key, int defaultValue) {
        return parse(key, defaultValue, value -> {
            int n = Integer.parseInt(value);
            if (n < 1 || n > 65535) {
                throw new IllegalArgumentException("is not a port (1..65535)");
            }
            return n;
        }, "a port number (1..65535)");
    }

    public boolean bool(String key, boolean defaultValue) {
        return parse(key, defaultValue, value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        }, "true or false");
    }

    /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT10S}); never negative. */
    public Duration duration(String key, Duration defaultValue) {
        return parse(key, defaultValue, value -> {
            Matcher m = SIMPLE_DURATION.matcher(value);
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                try {
                    d = Duration.parse(value);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("is not a duration");
                }
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative");
            }
            return d;
        }, "a duration such as 250ms, 10s, 5m or PT10S");
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        return parse(key, defaultValue, value -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value) || constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("must be one of " + allowed);
        }, "one of " + allowed);
    }

    /** An absolute URI with a scheme and host, e.g. an endpoint override {@code http://127.0.0.1:8000}. */
    public URI uri(String key, URI defaultValue) {
        return optionalUri(key).orElse(defaultValue);
    }

    public Optional<URI> optionalUri(String key) {
        if (optionalString(key).isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(parse(key, null, value -> {
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a URI (" + e.getReason() + ")");
            }
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an absolute URI with a host, e.g. http://127.0.0.1:8000");
            }
            return uri;
        }, "an absolute URI"));
    }

    public Path path(String key, Path defaultValue) {
        return parse(key, defaultValue, value -> {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("is not a path (" + e.getReason() + ")");
            }
        }, "a path");
    }

    /** The keys under {@code prefix}, prefix stripped (see {@link RawConfig#subset}). */
    public RawConfig subset(String prefix) {
        markPrefixRead(prefix);
        return raw.subset(prefix);
    }

    /** Records that a section reads every key under {@code prefix} itself (e.g. from {@link #raw()}). */
    public void markPrefixRead(String prefix) {
        prefixesRead.add(prefix.endsWith(".") ? prefix : prefix + ".");
    }

    /** Whether any section asked for {@code key}, by name or by a prefix it reads whole. */
    public boolean wasRead(String key) {
        return keysRead.contains(key) || prefixesRead.stream().anyMatch(key::startsWith);
    }

    /**
     * Builds a config record, turning the {@link IllegalArgumentException} of its compact constructor into a problem
     * attributed to {@code section}. Returns {@code null} then; {@link #validate()} will throw before anyone uses it.
     */
    public <T> T build(String section, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            problem(section + ": " + e.getMessage());
            return null;
        }
    }

    /** Records a problem found by a check that is not a single key's parse, e.g. two ports that clash. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws one {@link ConfigException} listing every problem recorded so far, if any. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * The value of {@code key} as {@code parser} reads it, or the default when absent; a value it refuses (an
     * {@link IllegalArgumentException}, whose message says why) is a problem naming the key, the value and where it
     * was set. For a section's own formats, e.g. {@code sluice.crypto.grants}.
     */
    <T> T parse(String key, T defaultValue, Function<String, T> parser, String expected) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return parser.apply(value.get());
        } catch (NumberFormatException e) {
            problems.add(describe(key, value.get()) + ": expected " + expected);
        } catch (IllegalArgumentException e) {
            problems.add(describe(key, value.get()) + ": " + e.getMessage());
        }
        return defaultValue;
    }

    private String describe(String key, String value) {
        return key + " = '" + value + "' (" + raw.origin(key) + ")";
    }
}

package dev.sluice.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configured API keys: an immutable set, looked up by the SHA-256 of the presented token. Tokens are never kept,
 * only their hashes, so neither the configuration nor a heap dump holds a usable token.
 *
 * <p>Configuration ({@link #parse}), one block per key {@code <name>} ({@code [A-Za-z0-9_-]+}):
 * <pre>
 * sluice.gateway.keys.&lt;name&gt;.sha256          = 64 hex digits, SHA-256 of the token's UTF-8 bytes (required)
 * sluice.gateway.keys.&lt;name&gt;.streams         = comma list of streams, or * (default: none)
 * sluice.gateway.keys.&lt;name&gt;.admin           = true|false (default false)
 * sluice.gateway.keys.&lt;name&gt;.rate.per.second = requests per second (default 1000)
 * sluice.gateway.keys.&lt;name&gt;.burst           = requests at once (default 2 x rate)
 * </pre>
 */
public final class ApiKeys {
  public static final String PREFIX = "sluice.gateway.keys.";
  public static final double DEFAULT_RATE_PER_SECOND = 1000;

  /** SHA-256 of the dev token {@code dev-producer}: may post to every stream, not admin. */
  public static final String DEV_PRODUCER_SHA256 = "8f0367a41f5149f7cef602ce8e018c5e518bdb59444819cc388625cb1a1d77a2";
  /** SHA-256 of the dev token {@code dev-admin}: admin, and may post to every stream. */
  public static final String DEV_ADMIN_SHA256 = "de72d648e29b247c1875138a7140256dbe5df3e6c9f37d592b07d9de509d2878";
  /** High enough that load tests against {@code ./sluice dev} are not throttled. */
  static final double DEV_RATE_PER_SECOND = 50_000;
  static final int DEV_BURST = 100_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9._-]+");
  private static final List<String> SUFFIXES = List.of(".sha256", ".streams", ".admin", ".rate.per.second", ".burst");

  private final List<ApiKey> keys;
  /** The decoded hashes, index for index with {@link #keys}. */
  private final List<byte[]> digests;

  private ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
    List<byte[]> d = new ArrayList<>(keys.size());
    for (ApiKey k : keys) {
      d.add(HexFormat.of().parseHex(k.sha256Hex()));
    }
    this.digests = List.copyOf(d);
  }

  /**
   * The given keys. Names must be unique, and so must hashes (one token must not mean two keys).
   *
   * @throws IllegalArgumentException on a repeated name or hash
   */
  public static ApiKeys of(List<ApiKey> keys) {
    Set<String> names = new LinkedHashSet<>();
    Set<String> hashes = new LinkedHashSet<>();
    for (ApiKey k : keys) {
      if (!names.add(k.name())) {
        throw new IllegalArgumentException("two API keys are named '" + k.name() + "'");
      }
      if (!hashes.add(k.sha256Hex())) {
        throw new IllegalArgumentException("API key '" + k.name() + "' has the same sha256 as another key");
      }
    }
    return new ApiKeys(keys);
  }

  /**
   * The documented dev keys: token {@code dev-producer} (every stream, not admin) and token {@code dev-admin}
   * (admin, every stream), both at {@value #DEV_RATE_PER_SECOND} requests/s. For {@code ./sluice dev} only: the
   * tokens are public.
   */
  public static ApiKeys dev() {
    return of(List.of(
        new ApiKey("dev-producer", DEV_PRODUCER_SHA256, Set.of(ApiKey.EVERY_STREAM), false,
            DEV_RATE_PER_SECOND, DEV_BURST),
        new ApiKey("dev-admin", DEV_ADMIN_SHA256, Set.of(ApiKey.EVERY_STREAM), true,
            DEV_RATE_PER_SECOND, DEV_BURST)));
  }

  public List<ApiKey> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * The key whose hash is the SHA-256 of {@code presentedToken}, if any. Every configured hash is compared, each with
   * {@link MessageDigest#isEqual} (constant time for equal lengths), and the loop does not stop at a match: the time
   * taken says nothing about which key, or how much of a hash, matched.
   */
  public Optional<ApiKey> lookup(String presentedToken) {
    if (presentedToken == null) {
      return Optional.empty();
    }
    byte[] presented = sha256(presentedToken);
    ApiKey found = null;
    for (int i = 0; i < keys.size(); i++) {
      if (MessageDigest.isEqual(presented, digests.get(i))) {
        found = keys.get(i);
      }
    }
    return Optional.ofNullable(found);
  }

  /** The SHA-256 of the token's UTF-8 bytes as 64 lower-case hex digits: the value to configure for a new key. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(Objects.requireNonNull(token, "token")));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Reads the keys under {@value #PREFIX} from {@code props}. Every problem found is added to {@code problems} as a
   * message naming the property (never its value, which might be a token pasted by mistake); keys with a problem are
   * left out. Properties outside the prefix are ignored.
   */
  public static ApiKeys parse(Map<String, String> props, List<String> problems) {
    // name -> (suffix -> value), sorted so that problems come out in a stable order.
    Map<String, Map<String, String>> blocks = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(props).entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String rest = e.getKey().substring(PREFIX.length());
      String suffix = SUFFIXES.stream().filter(s -> rest.endsWith(s) && rest.length() > s.length())
          .findFirst().orElse(null);
      if (suffix == null) {
        problems.add(e.getKey() + " is not a key setting; the settings of a key are "
            + String.join(", ", SUFFIXES.stream().map(s -> PREFIX + "<name>" + s).toList()));
        continue;
      }
      String name = rest.substring(0, rest.length() - suffix.length());
      if (!NAME.matcher(name).matches()) {
        problems.add(e.getKey() + ": the key name '" + name + "' must be letters, digits, '_' or '-'");
        continue;
      }
      blocks.computeIfAbsent(name, n -> new TreeMap<>()).put(suffix, e.getValue());
    }
    List<ApiKey> keys = new ArrayList<>();
    Map<String, String> nameByHash = new TreeMap<>();
    for (Map.Entry<String, Map<String, String>> block : blocks.entrySet()) {
      int before = problems.size();
      ApiKey key = parseKey(block.getKey(), block.getValue(), problems);
      if (key == null || problems.size() > before) {
        continue;
      }
      String other = nameByHash.putIfAbsent(key.sha256Hex(), key.name());
      if (other != null) {
        problems.add(PREFIX + key.name() + ".sha256 is the same as " + PREFIX + other
            + ".sha256: one token must not stand for two keys");
        continue;
      }
      keys.add(key);
    }
    return new ApiKeys(keys);
  }

  private static ApiKey parseKey(String name, Map<String, String> block, List<String> problems) {
    String p = PREFIX + name;
    String sha = trimmed(block.get(".sha256"));
    if (sha == null) {
      problems.add(p + ".sha256 is missing: set it to the SHA-256 (64 hex digits) of the key's token");
    } else if (!ApiKey.isSha256Hex(sha)) {
      problems.add(p + ".sha256 must be 64 hex digits (the SHA-256 of the token, not the token itself)");
    }

    Set<String> streams = new LinkedHashSet<>();
    String streamList = block.get(".streams");
    if (streamList != null) {
      for (String s : streamList.split(",", -1)) {
        String stream = s.trim();
        if (stream.isEmpty()) {
          continue;
        }
        if (!stream.equals(ApiKey.EVERY_STREAM) && !STREAM.matcher(stream).matches()) {
          problems.add(p + ".streams: '" + stream + "' is not a stream name (letters, digits, '.', '_', '-') or *");
        } else {
          streams.add(stream);
        }
      }
    }

    boolean admin = false;
    String adminText = trimmed(block.get(".admin"));
    if (adminText != null) {
      switch (adminText.toLowerCase(Locale.ROOT)) {
        case "true" -> admin = true;
        case "false" -> admin = false;
        default -> problems.add(p + ".admin must be true or false, was '" + adminText + "'");
      }
    }

    double rate = DEFAULT_RATE_PER_SECOND;
    String rateText = trimmed(block.get(".rate.per.second"));
    if (rateText != null) {
      try {
        rate = Double.parseDouble(rateText);
        if (!(rate > 0) || Double.isInfinite(rate)) {
          problems.add(p + ".rate.per.second must be a positive number, was '" + rateText + "'");
        }
      } catch (NumberFormatException e) {
        problems.add(p + ".rate.per.second must be a positive number, was '" + rateText + "'");
      }
    }

    int burst = defaultBurst(rate);
    String burstText = trimmed(block.get(".burst"));
    if (burstText != null) {
      try {
        burst = Integer.parseInt(burstText);
        if (burst < 1) {
          problems.add(p + ".burst must be a whole number of at least 1, was '" + burstText + "'");
        }
      } catch (NumberFormatException e) {
        problems.add(p + ".burst must be a whole number of at least 1, was '" + burstText + "'");
      }
    }

    if (sha == null || !ApiKey.isSha256Hex(sha) || !(rate > 0) || Double.isInfinite(rate) || burst < 1) {
      return null;
    }
    return new ApiKey(name, sha, streams, admin, rate, burst);
  }

  /** Twice the rate, so that a client may catch up after a short pause; at least 1. */
  static int defaultBurst(double rate) {
    double b = Math.ceil(2 * rate);
    return b >= Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(1, (int) b);
  }

  private static String trimmed(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** The names only. */
  @Override
  public String toString() {
    return "ApiKeys" + Arrays.toString(keys.stream().map(ApiKey::name).toArray());
  }
}

package dev.sluice.console.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The console's users (name, role, password hash) and API tokens (name, role, SHA-256 of the token). Immutable.
 * Neither passwords nor tokens are kept, only their hashes, so neither the configuration nor a heap dump holds a
 * usable credential.
 *
 * <p>Configuration ({@link #parse}), names {@code [a-z0-9-]+}:
 * <pre>
 * sluice.console.users.&lt;name&gt;.password = pbkdf2-sha256:&lt;iterations&gt;:&lt;salt&gt;:&lt;hash&gt; (sluice hash-password)
 * sluice.console.users.&lt;name&gt;.role     = viewer|operator|admin
 * sluice.console.tokens.&lt;name&gt;.sha256  = 64 hex digits, SHA-256 of the token's UTF-8 bytes (as sluice hash-key prints)
 * sluice.console.tokens.&lt;name&gt;.role    = viewer|operator|admin
 * </pre>
 */
public final class Credentials {
  public static final String USERS = "sluice.console.users.";
  public static final String TOKENS = "sluice.console.tokens.";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** A login. */
  public record User(String name, Role role, PasswordHash password) {
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(password, "password");
    }
  }

  /** A bearer token, known by its SHA-256 only. */
  public record Token(String name, Role role, String sha256Hex) {
    public Token {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      if (sha256Hex == null || !SHA256_HEX.matcher(sha256Hex).matches()) {
        throw new IllegalArgumentException("token " + name + ": sha256 must be 64 lower-case hex digits");
      }
    }
  }

  /**
   * The documented dev credentials of {@code ./sluice dev}: users {@code viewer}, {@code operator}, {@code admin}
   * (password = user name) and tokens {@code dev-viewer}, {@code dev-operator}, {@code dev-admin}. Public, so only
   * ever enabled by {@code sluice.console.dev.users}. The dev password hashes use few iterations: the passwords are
   * public anyway, and logins in tests stay fast.
   */
  public static final List<User> DEV_USERS = List.of(
      new User("viewer", Role.VIEWER,
          PasswordHash.parse("pbkdf2-sha256:10000:wHfIC7HKI8wHJu2X2aa1KA:QmS16Mk9IIAhQUIsfBJ1as7olgkH+IET/tLbGFTLk18")),
      new User("operator", Role.OPERATOR,
          PasswordHash.parse("pbkdf2-sha256:10000:siHdEeAVAjZquPldUtdzGA:Zy1oYiGHPYzo4AKtTGmlQMmyCTtWVzfdngxVQZZUNEM")),
      new User("admin", Role.ADMIN,
          PasswordHash.parse("pbkdf2-sha256:10000:Snmvu4DB6Y3JjW8Eaa0YaQ:Z3Rf6/kByulopr0+FCmw9aDc8gKJrEg+JqokhjsMcTY")));
  public static final List<Token> DEV_TOKENS = List.of(
      new Token("dev-viewer", Role.VIEWER, "6f6879ccfe4c11471c7ddb39e1a0a0469b2bc6371a29fc8496b12ade05ffa1e7"),
      new Token("dev-operator", Role.OPERATOR, "c15de198d781469a78760f52482bac96c651dec77512c11657dcb336fa480ca0"),
      new Token("dev-admin", Role.ADMIN, "de72d648e29b247c1875138a7140256dbe5df3e6c9f37d592b07d9de509d2878"));

  private final List<User> users;
  private final List<Token> tokens;
  private final List<byte[]> tokenDigests;

  private Credentials(List<User> users, List<Token> tokens) {
    this.users = List.copyOf(users);
    this.tokens = List.copyOf(tokens);
    this.tokenDigests = tokens.stream().map(t -> HexFormat.of().parseHex(t.sha256Hex())).toList();
  }

  /**
   * @throws IllegalArgumentException on a repeated user name, token name or token hash
   */
  public static Credentials of(List<User> users, List<Token> tokens) {
    Set<String> names = new LinkedHashSet<>();
    for (User u : users) {
      if (!names.add(u.name())) {
        throw new IllegalArgumentException("two console users are named '" + u.name() + "'");
      }
    }
    Set<String> tokenNames = new LinkedHashSet<>();
    Set<String> hashes = new LinkedHashSet<>();
    for (Token t : tokens) {
      if (!tokenNames.add(t.name())) {
        throw new IllegalArgumentException("two console tokens are named '" + t.name() + "'");
      }
      if (!hashes.add(t.sha256Hex())) {
        throw new IllegalArgumentException("console token '" + t.name() + "' has the same sha256 as another token");
      }
    }
    return new Credentials(users, tokens);
  }

  public static Credentials none() {
    return new Credentials(List.of(), List.of());
  }

  public static Credentials dev() {
    return of(DEV_USERS, DEV_TOKENS);
  }

  /** These and {@code other}'s, together. */
  public Credentials plus(Credentials other) {
    List<User> u = new ArrayList<>(users);
    u.addAll(other.users);
    List<Token> t = new ArrayList<>(tokens);
    t.addAll(other.tokens);
    return of(u, t);
  }

  public List<User> users() {
    return users;
  }

  public List<Token> tokens() {
    return tokens;
  }

  public boolean isEmpty() {
    return users.isEmpty() && tokens.isEmpty();
  }

  public Optional<User> user(String name) {
    return users.stream().filter(u -> u.name().equals(name)).findFirst();
  }

  /**
   * The token whose hash is the SHA-256 of {@code presented}. Every hash is compared in constant time and the loop
   * never stops early, so timing says nothing about which token, or how much of one, matched.
   */
  public Optional<Token> token(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Token found = null;
    for (int i = 0; i < tokens.size(); i++) {
      if (MessageDigest.isEqual(digest, tokenDigests.get(i))) {
        found = tokens.get(i);
      }
    }
    return Optional.ofNullable(found);
  }

  /** The SHA-256 of the token's UTF-8 bytes as 64 lower-case hex digits: what to configure for a new token. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(Objects.requireNonNull(token, "token")));
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Reads the users under {@value #USERS} and tokens under {@value #TOKENS}. Every problem is added to
   * {@code problems}, naming the property but never quoting a value (it might be a password pasted by mistake); an
   * entry with a problem is left out.
   */
  public static Credentials parse(Map<String, String> props, List<String> problems) {
    Map<String, Map<String, String>> userBlocks = blocks(props, USERS, List.of("password", "role"), problems);
    Map<String, Map<String, String>> tokenBlocks = blocks(props, TOKENS, List.of("sha256", "role"), problems);
    List<User> users = new ArrayList<>();
    userBlocks.forEach((name, block) -> {
      String p = USERS + name;
      Optional<Role> role = role(p, block, problems);
      String stored = block.get("password");
      PasswordHash hash = null;
      if (stored == null || stored.isBlank()) {
        problems.add(p + ".password is missing: set it to the output of sluice hash-password");
      } else {
        try {
          hash = PasswordHash.parse(stored);
        } catch (IllegalArgumentException e) {
          problems.add(p + ".password " + e.getMessage());
        }
      }
      if (role.isPresent() && hash != null) {
        users.add(new User(name, role.get(), hash));
      }
    });
    List<Token> tokens = new ArrayList<>();
    Map<String, String> nameByHash = new TreeMap<>();
    tokenBlocks.forEach((name, block) -> {
      String p = TOKENS + name;
      Optional<Role> role = role(p, block, problems);
      String sha = block.get("sha256") == null ? null : block.get("sha256").strip().toLowerCase(java.util.Locale.ROOT);
      if (sha == null || sha.isEmpty()) {
        problems.add(p + ".sha256 is missing: set it to the SHA-256 (64 hex digits) of the token");
        return;
      }
      if (!SHA256_HEX.matcher(sha).matches()) {
        problems.add(p + ".sha256 must be 64 hex digits (the SHA-256 of the token, not the token itself)");
        return;
      }
      String other = nameByHash.putIfAbsent(sha, name);
      if (other != null) {
        problems.add(p + ".sha256 is the same as " + TOKENS + other + ".sha256: one token must not stand for two");
        return;
      }
      role.ifPresent(r -> tokens.add(new Token(name, r, sha)));
    });
    return new Credentials(users, tokens);
  }

  private static Optional<Role> role(String p, Map<String, String> block, List<String> problems) {
    String text = block.get("role");
    Optional<Role> role = Role.parse(text);
    if (role.isEmpty()) {
      problems.add(p + ".role must be viewer, operator or admin" + (text == null ? " (it is missing)" : ""));
    }
    return role;
  }

  private static Map<String, Map<String, String>> blocks(
      Map<String, String> props, String prefix, List<String> settings, List<String> problems) {
    Map<String, Map<String, String>> blocks = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(props).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String rest = e.getKey().substring(prefix.length());
      int dot = rest.lastIndexOf('.');
      String setting = dot < 0 ? "" : rest.substring(dot + 1);
      String name = dot < 0 ? rest : rest.substring(0, dot);
      if (!settings.contains(setting)) {
        problems.add(e.getKey() + " is not a setting; those are "
            + String.join(", ", settings.stream().map(s -> prefix + "<name>." + s).toList()));
        continue;
      }
      if (!NAME.matcher(name).matches()) {
        problems.add(e.getKey() + ": the name '" + name + "' must be lower-case letters, digits or '-'");
        continue;
      }
      blocks.computeIfAbsent(name, n -> new TreeMap<>()).put(setting, e.getValue());
    }
    return blocks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && c.users.equals(users) && c.tokens.equals(tokens);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(users, tokens);
  }

  /** Names only. */
  @Override
  public String toString() {
    return "Credentials[users=" + users.stream().map(User::name).toList() + ", tokens="
        + tokens.stream().map(Token::name).toList() + "]";
  }
}

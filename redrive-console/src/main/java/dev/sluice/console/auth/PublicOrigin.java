package dev.sluice.console.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The origin ({@code scheme://host[:port]}, RFC 6454) browsers use to reach the console, e.g.
 * {@code https://sluice-console.example.com} ({@code sluice.console.public.origin}). A sign-in form posted from any
 * other origin is refused; the client's {@code Host} header plays no part, since whoever sends the request chooses it.
 *
 * <p>Kept normalized: scheme and host in lower case, the scheme's default port left out, so that it compares equal
 * with the {@code Origin} header a browser sends for the same place.
 *
 * @param port the port, or -1 for the scheme's default
 */
public record PublicOrigin(String scheme, String host, int port) {
  public PublicOrigin {
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("the scheme must be http or https");
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("a host is needed");
    }
    if (port < -1 || port > 65535 || port == 0) {
      throw new IllegalArgumentException("the port must be between 1 and 65535");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (port == defaultPort(scheme)) {
      port = -1;
    }
  }

  /**
   * Reads a configured origin: {@code http(s)://host[:port]}, at most a trailing {@code /}; no user, path, query or
   * fragment (an origin has none, and a browser never sends one in {@code Origin}).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static PublicOrigin parse(String text) {
    URI uri;
    try {
      uri = new URI(text == null ? "" : text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URI (" + e.getReason() + ")");
    }
    String example = "; write it as a browser's address bar shows the console, e.g. https://console.example.com";
    if (uri.getScheme() == null || uri.getHost() == null || uri.isOpaque()) {
      throw new IllegalArgumentException("'" + text + "' is not scheme://host[:port]" + example);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
      throw new IllegalArgumentException("'" + text + "' has more than scheme://host[:port]" + example);
    }
    try {
      return new PublicOrigin(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), uri.getPort());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
    }
  }

  /** The origin of an absolute http(s) URL (a {@code Referer}, an {@code Origin} header); empty if it has none. */
  public static Optional<PublicOrigin> ofUrl(String url) {
    if (url == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url.strip());
      if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
        return Optional.empty();
      }
      return Optional.of(new PublicOrigin(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), uri.getPort()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code http://host:port} of a console reached directly (an IPv6 literal in brackets). */
  public static PublicOrigin ofLocal(String host, int port) {
    return new PublicOrigin("http", host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host, port);
  }

  /**
   * Whether a sign-in form carrying these headers was posted from this origin. {@code Origin} decides when present:
   * browsers send it with every POST, and send {@code null} from a sandbox or a privacy-sensitive context, which is
   * refused. Without it, {@code Referer}'s origin decides (the console's pages send it to themselves:
   * {@code Referrer-Policy: same-origin}). A request with neither did not come from a page in a browser, the only
   * place a cross-site sign-in can be forced on someone: a script sets whatever headers it likes, so refusing it
   * would protect nobody, and it passes.
   */
  public boolean admitsSignIn(String originHeader, String refererHeader) {
    if (originHeader != null) {
      return ofUrl(originHeader).filter(this::equals).isPresent();
    }
    if (refererHeader != null) {
      return ofUrl(refererHeader).filter(this::equals).isPresent();
    }
    return true;
  }

  /** Whether a listen address is a wildcard ({@code 0.0.0.0}, {@code ::}): no browser has it in its origin. */
  public static boolean isWildcard(String listenHost) {
    String h = listenHost.strip();
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("0:0:0:0:0:0:0:0");
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  /** As a browser serializes it in {@code Origin}. */
  @Override
  public String toString() {
    return scheme + "://" + host + (port == -1 ? "" : ":" + port);
  }
}

package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.HandClock;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sign-in form's origin check against running consoles: the origin a form was posted from is compared with the
 * console's public origin (configured, or else its own address), never with the {@code Host} header, which the
 * sender chooses. Requests are written on a raw socket, so that {@code Host} is exactly what an attacker would send.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class ConsoleLoginOriginIT {
  private static void refusedAsCrossSite(SignInConsole.RawAnswer r) {
    assertEquals(403, r.status(), r.body());
    assertTrue(r.headers().getOrDefault("content-type", "").startsWith("application/problem+json"),
        r.headers().toString());
    assertTrue(r.body().contains("https://sluice.dev/problems/csrf-token-invalid"), r.body());
    assertFalse(r.headers().containsKey("set-cookie"), "no session: " + r.headers());
  }

  private static void signedIn(SignInConsole.RawAnswer r) {
    assertEquals(303, r.status(), r.body());
    assertTrue(r.headers().getOrDefault("set-cookie", "").startsWith(ConsoleAuth.SESSION_COOKIE + "="),
        r.headers().toString());
  }

  @Test
  void aForgedHostHeaderDoesNotLetASignInFromAnotherSiteThrough(Stack stack) throws Exception {
    // The stack's console (as ./sluice dev runs it) has no public origin configured: its own address stands in.
    int port = URI.create(stack.consoleUrl()).getPort();
    String own = "127.0.0.1:" + port;

    // A page on evil.example posts the form; its requests name evil.example as Host too (DNS rebinding, or a proxy).
    refusedAsCrossSite(SignInConsole.rawSignIn(port, "evil.example", "operator", "operator",
        "Origin", "http://evil.example"));
    refusedAsCrossSite(SignInConsole.rawSignIn(port, "evil.example:" + port, "operator", "operator",
        "Origin", "http://evil.example:" + port));
    // Without Origin, the Referer's origin is what counts.
    refusedAsCrossSite(SignInConsole.rawSignIn(port, "evil.example", "operator", "operator",
        "Referer", "http://evil.example/login"));
    // An opaque origin (a sandboxed frame) is nobody's.
    refusedAsCrossSite(SignInConsole.rawSignIn(port, own, "operator", "operator", "Origin", "null"));

    // The console's own page signs in, with Origin or (failing that) Referer.
    signedIn(SignInConsole.rawSignIn(port, own, "operator", "operator", "Origin", "http://" + own));
    signedIn(SignInConsole.rawSignIn(port, own, "operator", "operator", "Referer", "http://" + own + "/login"));
    // So does a script, which sends neither: it could send any header it liked, so refusing it would protect nothing.
    signedIn(SignInConsole.rawSignIn(port, own, "operator", "operator"));
  }

  @Test
  void behindALoadBalancerTheConfiguredPublicOriginIsTheOnlyOneAccepted(Stack stack) throws Exception {
    String user = SignInConsole.newUser();
    try (SignInConsole console = new SignInConsole(stack, SignInConsole.newTable(), user, new HandClock(),
        Map.of("sluice.console.public.origin", "https://console.example.com"))) {
      int port = console.port();
      String pw = SignInConsole.PASSWORD;
      // The load balancer passes the browser's Host on; the console's own address is not where browsers are.
      signedIn(SignInConsole.rawSignIn(port, "console.example.com", user, pw,
          "Origin", "https://console.example.com"));
      signedIn(SignInConsole.rawSignIn(port, "console.example.com", user, pw,
          "Referer", "https://console.example.com/login?next=%2F"));
      refusedAsCrossSite(SignInConsole.rawSignIn(port, "127.0.0.1:" + port, user, pw,
          "Origin", "http://127.0.0.1:" + port));
      refusedAsCrossSite(SignInConsole.rawSignIn(port, "console.example.com", user, pw,
          "Origin", "http://console.example.com"));
      refusedAsCrossSite(SignInConsole.rawSignIn(port, "evil.example", user, pw, "Origin", "https://evil.example"));
    }
  }
}

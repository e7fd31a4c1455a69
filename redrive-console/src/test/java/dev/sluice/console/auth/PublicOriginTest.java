package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PublicOriginTest {
  private static final PublicOrigin CONSOLE = PublicOrigin.parse("https://console.example.com");

  @Test
  void aConfiguredOriginIsKeptAsABrowserSerializesIt() {
    assertEquals("https://console.example.com", PublicOrigin.parse("HTTPS://Console.Example.COM:443/").toString());
    assertEquals("http://127.0.0.1:8081", PublicOrigin.parse("http://127.0.0.1:8081").toString());
    assertEquals("http://[::1]:8081", PublicOrigin.ofLocal("::1", 8081).toString());
    assertEquals(PublicOrigin.parse("http://127.0.0.1:8081"), PublicOrigin.ofLocal("127.0.0.1", 8081));
  }

  @Test
  void anythingButSchemeHostAndPortIsRefused() {
    for (String bad : new String[] {"console.example.com", "ftp://console.example.com", "https://",
        "https://console.example.com/console", "https://console.example.com?x=1", "https://console.example.com#top",
        "https://ann@console.example.com", "https://console.example.com:0", "", "https://bad host"}) {
      assertThrows(IllegalArgumentException.class, () -> PublicOrigin.parse(bad), bad);
    }
  }

  @Test
  void theOriginHeaderDecidesWhenPresentAndTheHostHeaderNever() {
    assertTrue(CONSOLE.admitsSignIn("https://console.example.com", null));
    assertTrue(CONSOLE.admitsSignIn("https://console.example.com:443", null));
    for (String other : new String[] {"http://console.example.com", "https://console.example.com:8443",
        "https://evil.example", "null", "", "https://console.example.com.evil.example"}) {
      assertFalse(CONSOLE.admitsSignIn(other, null), other);
      assertFalse(CONSOLE.admitsSignIn(other, "https://console.example.com/login"), "Origin wins: " + other);
    }
  }

  @Test
  void withoutOriginTheReferersOriginDecidesAndWithNeitherItIsNoBrowserPage() {
    assertTrue(CONSOLE.admitsSignIn(null, "https://console.example.com/login?next=%2F"));
    assertFalse(CONSOLE.admitsSignIn(null, "https://evil.example/https://console.example.com/"));
    assertFalse(CONSOLE.admitsSignIn(null, "not a url"));
    assertTrue(CONSOLE.admitsSignIn(null, null));
  }

  @Test
  void wildcardListenAddressesAreNoBrowsersOrigin() {
    assertTrue(PublicOrigin.isWildcard("0.0.0.0"));
    assertTrue(PublicOrigin.isWildcard("::"));
    assertFalse(PublicOrigin.isWildcard("127.0.0.1"));
  }
}

package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.0.2.10, 2001:db8:ffff::/48");

  @Test
  void withoutATrustedProxyTheHeaderIsIgnored() {
    assertEquals("203.0.113.7", ClientAddress.of("203.0.113.7", List.of("198.51.100.1"), TrustedProxies.none()));
    assertEquals("203.0.113.7", ClientAddress.of("203.0.113.7", List.of("198.51.100.1"), PROXIES),
        "the peer is not one of the proxies");
  }

  @Test
  void fromATrustedProxyTheRightmostAddressThatIsNotAProxyIsTheClient() {
    assertEquals("198.51.100.1", ClientAddress.of("10.1.1.1", List.of("198.51.100.1"), PROXIES));
    // The client wrote the first entry itself; the proxies appended the others.
    assertEquals("198.51.100.1", ClientAddress.of("10.1.1.1", List.of("6.6.6.6, 198.51.100.1, 192.0.2.10"),
        PROXIES));
    assertEquals("198.51.100.1", ClientAddress.of("10.1.1.1", List.of("6.6.6.6", "198.51.100.1:5123"), PROXIES),
        "several headers are one list; a port is dropped");
    assertEquals("10.2.2.2", ClientAddress.of("10.1.1.1", List.of("10.2.2.2"), PROXIES), "all proxies: the first");
    assertEquals("10.1.1.1", ClientAddress.of("10.1.1.1", List.of(), PROXIES), "no header: the proxy itself");
  }

  @Test
  void anEntryThatIsNoAddressStopsAtTheTrustedHopThatPassedItOn() {
    assertEquals("10.1.1.1", ClientAddress.of("10.1.1.1", List.of("198.51.100.1, unknown"), PROXIES));
    assertEquals("192.0.2.10", ClientAddress.of("10.1.1.1", List.of("evil.example, 192.0.2.10"), PROXIES));
  }

  @Test
  void anIpv6ClientCountsAsItsSlash64() {
    assertEquals("2001:db8:1:2:0:0:0:0/64", ClientAddress.of("2001:db8:1:2:aaaa::1", List.of(),
        TrustedProxies.none()));
    assertEquals(ClientAddress.of("2001:db8:1:2::1", List.of(), TrustedProxies.none()),
        ClientAddress.of("2001:db8:1:2:ffff:ffff:ffff:ffff", List.of(), TrustedProxies.none()));
    assertEquals("2001:db8:1:3:0:0:0:0/64", ClientAddress.of("2001:db8:ffff::5", List.of("[2001:db8:1:3::9]:443"),
        PROXIES));
    assertEquals("203.0.113.7", ClientAddress.of("::ffff:203.0.113.7", List.of(), TrustedProxies.none()),
        "an IPv4-mapped address is the IPv4 client");
  }

  @Test
  void trustedProxiesAreAddressesAndBlocksNeverNames() {
    assertTrue(TrustedProxies.parse(" none ").isEmpty());
    assertTrue(TrustedProxies.parse("").isEmpty());
    for (String bad : new String[] {"proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/8, ", "::/129"}) {
      assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad), bad);
    }
  }
}

package dev.sluice.console.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which client a sign-in comes from, for the per-address limit.
 *
 * <p>The connection's remote address, unless that is a trusted proxy ({@link TrustedProxies}): then
 * {@code X-Forwarded-For} is read from the right, each entry having been appended by the hop after it, and the first
 * address that is not a trusted proxy is the client. Entries left of it were written by the client and are never
 * read, so a client cannot choose its address. An entry that is not an IP address stops the walk at the trusted hop
 * that passed it on (a misconfigured proxy then throttles everyone behind it together, rather than no one).
 *
 * <p>An IPv6 client counts as its /64 (one subscriber's network: a single host can use any address in it); an IPv4
 * one as its address.
 */
public final class ClientAddress {
  static final int IPV6_PREFIX_BYTES = 8;

  private ClientAddress() {}

  /**
   * @param remote the connection's remote address as text (an IP literal; anything else is used as it is)
   * @param forwardedFor every {@code X-Forwarded-For} header, in the order received
   * @return the client's key: {@code 203.0.113.7} or {@code 2001:db8:1:2:0:0:0:0/64}
   */
  public static String of(String remote, List<String> forwardedFor, TrustedProxies trusted) {
    Optional<byte[]> peer = TrustedProxies.ip(remote);
    if (peer.isEmpty()) {
      return String.valueOf(remote);
    }
    byte[] client = peer.get();
    if (!trusted.isEmpty() && trusted.contains(client)) {
      List<String> hops = new ArrayList<>();
      for (String header : forwardedFor) {
        hops.addAll(Arrays.asList(header.split(",")));
      }
      for (int i = hops.size() - 1; i >= 0; i--) {
        Optional<byte[]> hop = TrustedProxies.ip(bare(hops.get(i).strip()));
        if (hop.isEmpty()) {
          break;
        }
        client = hop.get();
        if (!trusted.contains(client)) {
          break;
        }
      }
    }
    return key(client);
  }

  /** An entry without the brackets and port some proxies add ({@code [2001:db8::1]:443}, {@code 192.0.2.1:80}). */
  private static String bare(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      return close < 0 ? entry : entry.substring(1, close);
    }
    int colon = entry.indexOf(':');
    return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
  }

  static String key(byte[] address) {
    try {
      if (address.length == 4) {
        return InetAddress.getByAddress(address).getHostAddress();
      }
      byte[] network = Arrays.copyOf(address, 16);
      Arrays.fill(network, IPV6_PREFIX_BYTES, 16, (byte) 0);
      return InetAddress.getByAddress(network).getHostAddress() + "/" + IPV6_PREFIX_BYTES * 8;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }
}

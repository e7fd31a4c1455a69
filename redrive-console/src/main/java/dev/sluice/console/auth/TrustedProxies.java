package dev.sluice.console.auth;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proxies (load balancers, ingress controllers) whose {@code X-Forwarded-For} the console believes
 * ({@code sluice.console.trusted.proxies}): IP addresses and CIDR blocks, e.g. {@code 10.0.0.0/8, 192.0.2.10}. None by
 * default, so that a client cannot pick its own address by sending the header.
 */
public final class TrustedProxies {
  /** One address block. */
  private record Block(byte[] network, int prefixLength) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefixLength / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private static final TrustedProxies NONE = new TrustedProxies(List.of(), "none");

  private final List<Block> blocks;
  private final String text;

  private TrustedProxies(List<Block> blocks, String text) {
    this.blocks = List.copyOf(blocks);
    this.text = text;
  }

  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Reads a comma-separated list of IP addresses and CIDR blocks; blank or {@code none} is none.
   *
   * @throws IllegalArgumentException naming the entry that is not an IP address or block (host names are refused:
   *     they would need a DNS lookup, and DNS says nothing about who sent a request)
   */
  public static TrustedProxies parse(String text) {
    if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) {
      return NONE;
    }
    List<Block> blocks = new ArrayList<>();
    for (String entry : text.split(",")) {
      String e = entry.strip();
      int slash = e.indexOf('/');
      byte[] address = ip(slash < 0 ? e : e.substring(0, slash))
          .orElseThrow(() -> new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block"));
      int prefix = address.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException notANumber) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("'" + e + "': the prefix length must be 0 to " + address.length * 8);
        }
      }
      blocks.add(new Block(address, prefix));
    }
    return new TrustedProxies(blocks, text.strip());
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether {@code address} (4 or 16 bytes) is one of the trusted proxies. */
  boolean contains(byte[] address) {
    return blocks.stream().anyMatch(b -> b.contains(address));
  }

  /**
   * The bytes of an IP literal (4 for IPv4, also for an IPv4-mapped IPv6 address; 16 for IPv6), or empty for anything
   * else. Never a DNS lookup.
   */
  static Optional<byte[]> ip(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes == null) {
      return Optional.empty();
    }
    if (bytes.length == 16 && isIpv4Mapped(bytes)) {
      return Optional.of(java.util.Arrays.copyOfRange(bytes, 12, 16));
    }
    return Optional.of(bytes);
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedProxies t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}

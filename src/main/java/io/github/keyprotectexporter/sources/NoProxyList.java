package io.github.keyprotectexporter.sources;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that {@code NO_PROXY} sends directly instead of through a proxy, matched as curl
 * matches them. Entries are separated by commas or spaces:
 *
 * <ul>
 *   <li>{@code *} alone sends every host directly.
 *   <li>A domain such as {@code example.com} or {@code .example.com} (also {@code *.example.com})
 *       matches the domain itself and every host under it, never a host that merely ends in the
 *       same letters ({@code badexample.com}).
 *   <li>An IP address ({@code 10.0.0.7}, {@code ::1} or {@code [::1]}) matches that address only.
 *   <li>A CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}) matches every IP address in it, as
 *       curl does since 7.86.0. A host name is never resolved to check it against a range.
 *   <li>Any entry but a CIDR range may end in {@code :port}, so that it matches that port only.
 * </ul>
 *
 * <p>Loopback addresses are not implied: {@code localhost} and {@code 127.0.0.1} go through the
 * proxy unless listed. Names are compared without case and without a trailing dot.
 */
final class NoProxyList {

  /** A list that matches no host. */
  static final NoProxyList EMPTY = new NoProxyList(List.of(), false);

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final int ANY_PORT = -1;

  /**
   * One entry of the list.
   *
   * @param range the CIDR range of a range entry, null for every other entry
   */
  private record Entry(String host, boolean ipAddress, int port, CidrRange range) {}

  private final List<Entry> entries;
  private final boolean matchesAll;

  private NoProxyList(List<Entry> entries, boolean matchesAll) {
    this.entries = List.copyOf(entries);
    this.matchesAll = matchesAll;
  }

  /**
   * Parses the value of {@code variable}.
   *
   * @throws IllegalArgumentException when an entry has a port that is not a number from 1 to 65535
   */
  static NoProxyList parse(String variable, String value) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : value.split("[,\\s]+")) {
      if (raw.isEmpty()) {
        continue;
      }
      if (raw.equals("*")) {
        return new NoProxyList(List.of(), true);
      }
      entries.add(parseEntry(variable, raw));
    }
    return new NoProxyList(entries, false);
  }

  /** Returns true when a request to {@code host} on {@code port} must not use a proxy. */
  boolean matches(String host, int port) {
    if (matchesAll) {
      return true;
    }
    String normalized = normalizeHost(host);
    // An address only ever equals an address entry, so that 0.0.7 cannot match 10.0.0.7.
    boolean address = isIpAddress(normalized);
    for (Entry entry : entries) {
      if (entry.port() != ANY_PORT && entry.port() != port) {
        continue;
      }
      boolean match;
      if (entry.range() != null) {
        match = address && entry.range().contains(normalized);
      } else if (entry.ipAddress() || address) {
        match = normalized.equals(entry.host());
      } else {
        match = inDomain(normalized, entry.host());
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  /** Returns true when this list matches no host at all. */
  boolean isEmpty() {
    return !matchesAll && entries.isEmpty();
  }

  @Override
  public String toString() {
    if (matchesAll) {
      return "*";
    }
    List<String> formatted = new ArrayList<>();
    for (Entry entry : entries) {
      String host = entry.host().contains(":") ? "[" + entry.host() + "]" : entry.host();
      if (entry.range() != null) {
        formatted.add(entry.range().toString());
        continue;
      }
      formatted.add(entry.port() == ANY_PORT ? host : host + ":" + entry.port());
    }
    return String.join(",", formatted);
  }

  private static boolean isIpAddress(String host) {
    return host.contains(":") || IPV4.matcher(host).matches();
  }

  private static boolean inDomain(String host, String domain) {
    return host.equals(domain) || host.endsWith("." + domain);
  }

  private static Entry parseEntry(String variable, String raw) {
    if (raw.contains("/")) {
      return new Entry(raw, true, ANY_PORT, parseRange(variable, raw));
    }
    String host = raw;
    int port = ANY_PORT;
    if (raw.startsWith("[")) {
      // A bracketed IPv6 address, with or without a port after the closing bracket.
      int close = raw.indexOf(']');
      if (close < 0) {
        throw invalid(variable, raw, "has no closing ] after an IPv6 address");
      }
      host = raw.substring(1, close);
      String rest = raw.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(variable, raw, "has text after the IPv6 address that is not a :port");
        }
        port = parsePort(variable, raw, rest.substring(1));
      }
    } else if (raw.indexOf(':') >= 0 && raw.indexOf(':') == raw.lastIndexOf(':')) {
      // One colon separates a name or IPv4 address from its port; more colons are IPv6.
      int colon = raw.indexOf(':');
      host = raw.substring(0, colon);
      port = parsePort(variable, raw, raw.substring(colon + 1));
    }
    host = normalizeHost(host);
    boolean ipAddress = isIpAddress(host);
    if (!ipAddress) {
      host = host.startsWith("*.") ? host.substring(2) : host;
      host = host.startsWith(".") ? host.substring(1) : host;
    }
    if (host.isEmpty()) {
      throw invalid(variable, raw, "has no host name");
    }
    return new Entry(host, ipAddress, port, null);
  }

  private static CidrRange parseRange(String variable, String raw) {
    String problem = "is not a CIDR range such as 10.0.0.0/8 or fd00::/8 (an IP address, a slash"
        + " and a prefix length, without a port)";
    int slash = raw.indexOf('/');
    String address = raw.substring(0, slash);
    if (!IPV4.matcher(address).matches() && !address.contains(":")) {
      throw invalid(variable, raw, problem);
    }
    byte[] bytes = addressBytes(address);
    int prefixLength;
    try {
      prefixLength = Integer.parseInt(raw.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw invalid(variable, raw, problem);
    }
    if (bytes == null || prefixLength < 0 || prefixLength > bytes.length * 8) {
      throw invalid(variable, raw, problem);
    }
    return new CidrRange(bytes, prefixLength);
  }

  /**
   * Returns the bytes of an IP address literal, or null when it is not one. IPv6 literals get
   * brackets, so that {@link InetAddress} never asks DNS.
   */
  private static byte[] addressBytes(String literal) {
    String text = literal.contains(":") ? "[" + literal + "]" : literal;
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The IP addresses whose first {@code prefixLength} bits equal those of {@code network}. */
  private record CidrRange(byte[] network, int prefixLength) {

    /** Returns true when {@code address}, a normalized IP address literal, is in the range. */
    boolean contains(String address) {
      if (!address.contains(":") && !IPV4.matcher(address).matches()) {
        return false;
      }
      byte[] bytes = addressBytes(address);
      if (bytes == null || bytes.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefixLength; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      byte[] copy = network.clone();
      String text;
      try {
        text = InetAddress.getByAddress(copy).getHostAddress();
      } catch (UnknownHostException e) {
        throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
      }
      return text + "/" + prefixLength;
    }
  }

  private static int parsePort(String variable, String raw, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below with the entry.
    }
    throw invalid(variable, raw, "has a port that is not a number from 1 to 65535");
  }

  private static String normalizeHost(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("[") && lower.endsWith("]")) {
      lower = lower.substring(1, lower.length() - 1);
    }
    lower = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    return lower.contains(":") ? canonicalIpv6(lower) : lower;
  }

  /**
   * Returns one spelling of an IPv6 address, so that {@code ::1} matches {@code 0:0:0:0:0:0:0:1}.
   * The brackets make {@link InetAddress} parse a literal and never ask DNS.
   */
  private static String canonicalIpv6(String address) {
    try {
      return InetAddress.getByName("[" + address + "]").getHostAddress();
    } catch (UnknownHostException e) {
      return address;
    }
  }

  private static IllegalArgumentException invalid(String variable, String entry, String problem) {
    return new IllegalArgumentException(
        variable + " entry \"" + Excerpt.of(entry, 80) + "\" " + problem + "; fix the entry or"
            + " remove it. " + variable + " lists host names, domains, IP addresses, CIDR ranges"
            + " or *, separated by commas, each but a range with an optional :port");
  }
}

package com.cct.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code CCT_TRUSTED_PROXIES}, CIDRs). The
 * client is the rightmost address of the chain that is not one of them: each trusted proxy appends
 * the peer it saw, so whatever a client wrote further left is never reached unless every hop to its
 * right vouches for it. A request whose peer is not trusted is taken at its word, its header ignored.
 */
final class TrustedProxies {

	/** Only literals are parsed, so a header can never make the server resolve a host name. */
	private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

	private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

	private final List<Cidr> ranges;

	TrustedProxies(List<String> cidrs) {
		this.ranges = cidrs.stream().map(String::strip).filter(cidr -> !cidr.isEmpty()).map(Cidr::parse).toList();
	}

	/** The client's address: the peer itself, or the address a chain of trusted proxies forwarded for. */
	String clientAddress(String peer, List<String> forwardedFor) {
		Optional<InetAddress> hop = literal(peer);
		if (hop.isEmpty() || !trusted(hop.get())) {
			return peer;
		}
		InetAddress client = hop.get();
		List<String> chain = forwardedFor.stream()
			.flatMap(header -> Arrays.stream(header.split(",")))
			.map(String::strip)
			.filter(entry -> !entry.isEmpty())
			.toList();
		for (int i = chain.size() - 1; i >= 0; i--) {
			Optional<InetAddress> forwarded = literal(chain.get(i));
			if (forwarded.isEmpty()) {
				// not an address: nothing further left can be trusted; the last good hop answers for it
				break;
			}
			client = forwarded.get();
			if (!trusted(client)) {
				break;
			}
		}
		return client.getHostAddress();
	}

	boolean trusted(InetAddress address) {
		return this.ranges.stream().anyMatch(range -> range.contains(address));
	}

	static Optional<InetAddress> literal(String text) {
		String address = text == null ? "" : text.strip();
		if (address.startsWith("[") && address.indexOf(']') > 0) {
			address = address.substring(1, address.indexOf(']'));
		}
		try {
			Matcher ipv4 = IPV4.matcher(address);
			if (ipv4.matches()) {
				byte[] bytes = new byte[4];
				for (int i = 0; i < 4; i++) {
					int octet = Integer.parseInt(ipv4.group(i + 1));
					if (octet > 255) {
						return Optional.empty();
					}
					bytes[i] = (byte) octet;
				}
				return Optional.of(InetAddress.getByAddress(bytes));
			}
			// with a colon in it, the JDK parses an IPv6 literal or fails; it never looks the text up
			return IPV6.matcher(address).matches() ? Optional.of(InetAddress.getByName(address)) : Optional.empty();
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

	/** One range, {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a range of one. */
	record Cidr(byte[] network, int prefix) {

		static Cidr parse(String text) {
			int slash = text.indexOf('/');
			InetAddress address = literal(slash < 0 ? text : text.substring(0, slash))
				.orElseThrow(() -> new IllegalArgumentException("CCT_TRUSTED_PROXIES: not an address range: " + text));
			int bits = address.getAddress().length * 8;
			int prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1).strip());
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("CCT_TRUSTED_PROXIES: prefix out of range: " + text);
			}
			return new Cidr(address.getAddress(), prefix);
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			for (int bit = 0; bit < this.prefix; bit += 8) {
				int mask = this.prefix - bit >= 8 ? 0xff : (0xff << (8 - (this.prefix - bit))) & 0xff;
				if (((bytes[bit / 8] ^ this.network[bit / 8]) & mask) != 0) {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * @param trusted CIDRs of the proxies in front of the web process; the defaults are
	 * loopback and the private ranges a compose network or a VPC uses
	 */
	@ConfigurationProperties("cct.proxies")
	record Settings(@DefaultValue({ "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
			"fc00::/7" }) List<String> trusted) {
	}

}

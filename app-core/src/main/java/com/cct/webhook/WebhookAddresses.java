package com.cct.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may point: http or https to a host whose every address is public. Loopback,
 * private, link-local, CGNAT, multicast, unspecified, reserved and documentation ranges are refused,
 * and so are the IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4), which are
 * judged by the address they embed. The cloud metadata services sit in refused ranges
 * (169.254.169.254 link-local, fd00:ec2::254 unique-local, 100.100.100.200 CGNAT). The web checks at
 * registration and the worker again at every delivery, after DNS, connecting only to the addresses
 * it checked, so a name that later resolves elsewhere (DNS rebinding) gains nothing.
 */
public final class WebhookAddresses {

	public static final int MAX_URL_LENGTH = 2000;

	private static final List<Range> REFUSED_V4 = Range.all("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
			"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
			"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

	private static final List<Range> REFUSED_V6 = Range.all("::/128", "::1/128", "100::/64", "2001::/32",
			"2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

	private WebhookAddresses() {
	}

	/** A URL a webhook may have, by its form alone (scheme, host, no credentials); DNS comes later. */
	public static URI parse(String url) throws RefusedAddressException {
		if (url == null || url.isBlank()) {
			throw new RefusedAddressException("The URL is missing.");
		}
		if (url.length() > MAX_URL_LENGTH) {
			throw new RefusedAddressException("The URL is longer than " + MAX_URL_LENGTH + " characters.");
		}
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException ex) {
			throw new RefusedAddressException("The URL is not valid: " + ex.getReason() + ".");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new RefusedAddressException("Only http and https URLs can receive webhooks.");
		}
		if (uri.getHost() == null || uri.getHost().isBlank()) {
			throw new RefusedAddressException("The URL has no host name.");
		}
		if (uri.getRawUserInfo() != null) {
			throw new RefusedAddressException("The URL must not carry a user name or password.");
		}
		return uri;
	}

	/**
	 * The addresses of {@code host}, every one of them allowed; refused when any is not (a name with
	 * one private address among public ones is refused too) or when the name does not resolve.
	 */
	public static List<InetAddress> resolve(String host, boolean allowPrivate) throws RefusedAddressException {
		String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(name);
		}
		catch (UnknownHostException ex) {
			throw new RefusedAddressException("The host name " + host + " does not resolve.");
		}
		if (!allowPrivate) {
			for (InetAddress address : addresses) {
				if (!isPublic(address)) {
					throw new RefusedAddressException("The host " + host + " resolves to " + address.getHostAddress()
							+ ", a loopback, private, link-local or otherwise non-public address.");
				}
			}
		}
		return List.of(addresses);
	}

	public static boolean isPublic(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length == 4) {
			return REFUSED_V4.stream().noneMatch(range -> range.contains(bytes));
		}
		byte[] embedded = embeddedIpv4(bytes);
		if (embedded != null) {
			return REFUSED_V4.stream().noneMatch(range -> range.contains(embedded));
		}
		return REFUSED_V6.stream().noneMatch(range -> range.contains(bytes));
	}

	/** The IPv4 address an IPv6 one stands for (mapped, compatible, NAT64 64:ff9b::/96, 6to4), or null. */
	private static byte[] embeddedIpv4(byte[] v6) {
		boolean zeroTo10 = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
		boolean mapped = zeroTo10 && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
		boolean compatible = zeroTo10 && v6[10] == 0 && v6[11] == 0;
		boolean nat64 = v6[0] == 0 && v6[1] == 0x64 && v6[2] == (byte) 0xff && v6[3] == (byte) 0x9b
				&& Arrays.equals(v6, 4, 12, new byte[8], 0, 8);
		if (mapped || compatible || nat64) {
			return Arrays.copyOfRange(v6, 12, 16);
		}
		if (v6[0] == 0x20 && v6[1] == 0x02) {
			return Arrays.copyOfRange(v6, 2, 6);
		}
		return null;
	}

	/** A CIDR block of literal addresses (never resolved). */
	private record Range(byte[] network, int prefix) {

		static List<Range> all(String... cidrs) {
			return Arrays.stream(cidrs).map(Range::parse).toList();
		}

		static Range parse(String cidr) {
			int slash = cidr.indexOf('/');
			try {
				return new Range(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
						Integer.parseInt(cidr.substring(slash + 1)));
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(cidr, ex);
			}
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			if (!Arrays.equals(address, 0, full, this.network, 0, full)) {
				return false;
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[full] & mask) == (this.network[full] & mask);
		}

	}

}

package com.cct.multihost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * Hosts made of Linux network namespaces, made and removed by the test (root only): a bridge inside
 * the services host, and for every other host a veth pair whose one end is that host's only
 * interface ({@code eth-…}) and whose other end is a port of the bridge. The addresses are a private
 * /24 no route of the machine uses; the test JVM itself joins as one more host (the client), so it
 * reaches nginx and PostgreSQL the way another machine would. Each namespace gets
 * {@code /etc/netns/NAME/hosts}, which {@code ip netns exec} mounts over {@code /etc/hosts}, with the
 * compose service names ({@code app}, {@code postgres}, {@code redis}, {@code s3}) mapped to the test
 * addresses, so the real nginx config and the compose-style URLs work unchanged.
 */
final class TestNetwork implements AutoCloseable {

	/** The machine's namespaces of this test are named {@code cct<tag><pid>…}: leftovers of dead runs are swept. */
	private static final String PREFIX = "cct";

	private final String run = Long.toString(ProcessHandle.current().pid());

	private final String subnet;

	private final Map<String, Host> hosts = new LinkedHashMap<>();

	private final List<String> namespaces = new ArrayList<>();

	private final String clientLink;

	/** One machine of the test: its namespace (null for the client, the test JVM's own), interface and address. */
	record Host(String name, String namespace, String link, String address) {

		/** The command prefix that runs a program on this host. */
		List<String> exec() {
			return (this.namespace == null) ? List.of() : List.of("ip", "netns", "exec", this.namespace);
		}

	}

	private TestNetwork(String subnet) {
		this.subnet = subnet;
		this.clientLink = PREFIX + "c" + this.run;
	}

	/**
	 * The services host (bridge {@code .1}) and one host per name in {@code others} ({@code .10},
	 * {@code .11}, ...), connected; the client at {@code .200}. On failure, what was made is removed.
	 */
	static TestNetwork create(List<String> others) {
		sweepDeadRuns();
		TestNetwork network = new TestNetwork(freeSubnet());
		try {
			network.build(others);
			return network;
		}
		catch (RuntimeException ex) {
			network.close();
			throw ex;
		}
	}

	private void build(List<String> others) {
		Host services = new Host("services", namespace("s"), "br0", this.subnet + ".1");
		this.hosts.put(services.name(), services);
		ip("netns", "add", services.namespace());
		this.namespaces.add(services.namespace());
		ip("-n", services.namespace(), "link", "set", "lo", "up");
		ip("-n", services.namespace(), "link", "add", "br0", "type", "bridge");
		ip("-n", services.namespace(), "addr", "add", services.address() + "/24", "dev", "br0");
		ip("-n", services.namespace(), "link", "set", "br0", "up");
		int next = 10;
		for (String name : others) {
			String ns = namespace(Integer.toString(next));
			Host host = new Host(name, ns, PREFIX + next + "e" + this.run, this.subnet + "." + next);
			ip("netns", "add", ns);
			this.namespaces.add(ns);
			ip("-n", ns, "link", "set", "lo", "up");
			connect(host, PREFIX + next + "b" + this.run);
			this.hosts.put(name, host);
			next++;
		}
		Host client = new Host("client", null, this.clientLink, this.subnet + ".200");
		connect(client, PREFIX + "cb" + this.run);
		this.hosts.put(client.name(), client);
		writeHostsFiles();
	}

	/** A veth pair: {@code host.link} on the host, {@code bridgePort} on the services host's bridge. */
	private void connect(Host host, String bridgePort) {
		Host services = host("services");
		ip("link", "add", host.link(), "type", "veth", "peer", "name", bridgePort);
		ip("link", "set", bridgePort, "netns", services.namespace());
		ip("-n", services.namespace(), "link", "set", bridgePort, "master", "br0", "up");
		List<String> on = (host.namespace() == null) ? List.of() : List.of("-n", host.namespace());
		if (host.namespace() != null) {
			ip("link", "set", host.link(), "netns", host.namespace());
		}
		ip(concat(on, "addr", "add", host.address() + "/24", "dev", host.link()));
		ip(concat(on, "link", "set", host.link(), "up"));
	}

	private void writeHostsFiles() {
		String services = host("services").address();
		// the machine's own name too: JobRunr names its servers after it
		String hostsFile = "127.0.0.1 localhost " + hostname() + "\n" + services + " postgres redis s3\n"
				+ host("web").address() + " app\n";
		for (String ns : this.namespaces) {
			try {
				Path dir = Path.of("/etc/netns", ns);
				Files.createDirectories(dir);
				Files.writeString(dir.resolve("hosts"), hostsFile, StandardCharsets.US_ASCII);
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot write /etc/netns/" + ns + "/hosts (the test needs root)", ex);
			}
		}
	}

	private static String hostname() {
		try {
			return Files.readString(Path.of("/etc/hostname")).strip();
		}
		catch (IOException ex) {
			return "localhost";
		}
	}

	Host host(String name) {
		Host host = this.hosts.get(name);
		if (host == null) {
			throw new IllegalArgumentException("no host " + name);
		}
		return host;
	}

	/** Pulls the host's cable: its interface goes down, its traffic to every other host stops. */
	void cut(Host host) {
		ip("-n", host.namespace(), "link", "set", host.link(), "down");
	}

	/** Plugs it back in (the address stays; the route comes back with the link). */
	void restore(Host host) {
		ip("-n", host.namespace(), "link", "set", host.link(), "up");
	}

	@Override
	public void close() {
		// deleting a namespace deletes the veth ends in it, and with them their peers (the client's too)
		for (String ns : this.namespaces) {
			quietly("ip", "netns", "del", ns);
			FileSystemUtils.deleteRecursively(Path.of("/etc/netns", ns).toFile());
		}
		quietly("ip", "link", "del", this.clientLink);
	}

	private String namespace(String tag) {
		return PREFIX + "-" + tag + "-" + this.run;
	}

	/** 10.77.N.0/24 for the first N whose addresses no interface or route of the machine uses. */
	private static String freeSubnet() {
		String used = run("ip", "-4", "route", "show", "table", "all") + run("ip", "-4", "addr");
		for (int n = 0; n < 256; n++) {
			String candidate = "10.77." + n;
			if (!used.contains(candidate + ".")) {
				return candidate;
			}
		}
		throw new IllegalStateException("no free 10.77.N.0/24 for the test network");
	}

	/** Namespaces (and the client's veth) of runs whose JVM is gone. */
	private static void sweepDeadRuns() {
		for (String line : run("ip", "netns", "list").split("\n")) {
			String ns = line.split(" ")[0];
			if (ns.startsWith(PREFIX + "-") && !alive(ns.substring(ns.lastIndexOf('-') + 1))) {
				quietly("ip", "netns", "del", ns);
				FileSystemUtils.deleteRecursively(Path.of("/etc/netns", ns).toFile());
			}
		}
	}

	private static boolean alive(String pid) {
		try {
			return ProcessHandle.of(Long.parseLong(pid)).isPresent();
		}
		catch (NumberFormatException ex) {
			return true;
		}
	}

	private static String[] concat(List<String> head, String... tail) {
		List<String> all = new ArrayList<>(head);
		all.addAll(List.of(tail));
		return all.toArray(String[]::new);
	}

	private static void ip(String... args) {
		List<String> command = new ArrayList<>(List.of("ip"));
		command.addAll(List.of(args));
		run(command.toArray(String[]::new));
	}

	private static void quietly(String... command) {
		try {
			run(command);
		}
		catch (IllegalStateException ex) {
			// already gone
		}
	}

	static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
			}
			return out;
		}
		catch (IOException ex) {
			throw new IllegalStateException(String.join(" ", command) + " failed (root and iproute2 needed)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

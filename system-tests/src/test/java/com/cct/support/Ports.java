package com.cct.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the JVMs a test starts, unique across the test JVMs that run at once.
 * <p>
 * A port the kernel picks ({@code new ServerSocket(0)}) comes from the ephemeral range, and the
 * child JVM binds it seconds later: meanwhile the other test JVM may be handed the same port, or an
 * outgoing connection may take it. That happened in CI: a web JVM lost a port to another JVM, died,
 * and its stack's health check was answered by the other JVM. So ports come from below the ephemeral
 * range (which outgoing connections do not use), and each is reserved for the life of the test JVM
 * by a lock on its byte of one shared file: the kernel drops the locks of a JVM that ends, however
 * it ends, so nothing is left to clean up.
 */
public final class Ports {

	private static final int FIRST = 20_000;

	private static final int LAST = 32_000;

	private static final FileChannel RESERVATIONS = open(Path.of(System.getProperty("java.io.tmpdir"), "cct-test-ports-" + System.getProperty("user.name") + ".lock"));

	/** Held until this JVM exits. */
	private static final List<FileLock> HELD = new ArrayList<>();

	/** Where this JVM looks next: a place of its own, so that two JVMs rarely try the same ports. */
	private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 7919 % (LAST - FIRST)));

	private Ports() {
	}

	public static int free() {
		for (int tries = 0; tries <= LAST - FIRST; tries++) {
			int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), LAST - FIRST + 1);
			if (bindable(port) && reserve(port)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port in " + FIRST + "-" + LAST);
	}

	private static synchronized boolean reserve(int port) {
		try {
			FileLock lock = RESERVATIONS.tryLock(port, 1, false);
			if (lock == null) {
				return false;
			}
			HELD.add(lock);
			return true;
		}
		catch (OverlappingFileLockException mine) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static FileChannel open(Path file) {
		try {
			return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

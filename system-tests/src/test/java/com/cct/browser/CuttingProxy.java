package com.cct.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between the browser and the web that drops the network once: when {@code cutAfter}
 * bytes went from the browser to the web, every connection is closed and new ones are closed at
 * once for {@code outage}; then it lets everything through again.
 */
final class CuttingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int target;

	private final long cutAfter;

	private final Duration outage;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicBoolean cut = new AtomicBoolean();

	private volatile long downUntil;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	CuttingProxy(int target, long cutAfter, Duration outage) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.target = target;
		this.cutAfter = cutAfter;
		this.outage = outage;
		daemon(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	boolean hasCut() {
		return this.cut.get();
	}

	long sent() {
		return this.sent.get();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (System.nanoTime() < this.downUntil) {
					client.close();
					continue;
				}
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
				this.open.add(client);
				this.open.add(upstream);
				daemon(() -> pump(client, upstream, true));
				daemon(() -> pump(upstream, client, false));
			}
			catch (IOException ex) {
				// closed, or the web refused: the browser sees a dropped connection
			}
		}
	}

	private void pump(Socket from, Socket to, boolean upload) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			for (int n; (n = in.read(buffer)) >= 0;) {
				out.write(buffer, 0, n);
				out.flush();
				if (upload && this.sent.addAndGet(n) >= this.cutAfter && this.cut.compareAndSet(false, true)) {
					this.downUntil = System.nanoTime() + this.outage.toNanos();
					dropAll();
					return;
				}
			}
		}
		catch (IOException ex) {
			// one side went away
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void daemon(Runnable work) {
		Thread thread = new Thread(work, "cutting-proxy");
		thread.setDaemon(true);
		thread.start();
	}

	private void dropAll() {
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

	private void closeQuietly(Socket socket) {
		this.open.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		dropAll();
	}

}

package com.cct.storage;

import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The memory multipart uploads stream through: a bounded number of part-sized buffers, reused. An
 * upload holds one buffer while it runs; when all are in use the next one waits (and stops reading
 * its client) until a part has been sent, so many uploads at once cannot exhaust the heap.
 */
final class PartBuffers {

	private final int size;

	private final Semaphore permits;

	private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

	PartBuffers(int size, int count) {
		this.size = size;
		this.permits = new Semaphore(count, true);
	}

	/** As many buffers as a quarter of the heap holds, at least two. */
	static PartBuffers forHeap(int size) {
		long count = Runtime.getRuntime().maxMemory() / 4 / size;
		return new PartBuffers(size, (int) Math.max(2, Math.min(count, 1024)));
	}

	int size() {
		return this.size;
	}

	byte[] take() throws InterruptedIOException {
		try {
			this.permits.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for an upload buffer");
		}
		byte[] buffer = this.free.poll();
		return buffer != null ? buffer : new byte[this.size];
	}

	void give(byte[] buffer) {
		this.free.offer(buffer);
		this.permits.release();
	}

}

package com.cct.progress;

import java.io.IOException;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskResponse;
import com.cct.task.TaskStatus;

/**
 * One client's event stream for one task. Whoever hands it an event (the Redis relay's one
 * subscriber thread, the database poll, the heartbeat timer) only puts it in this stream's own
 * small queue; a sender thread writes it out. A client that stops reading blocks only its own
 * sender: its queue fills, and a full queue drops the stream (it takes no more events and completes
 * as soon as its blocked write returns), while every other stream goes on. Writes are serialised;
 * an event whose status differs from the last one sent goes out as a {@code status} event; the
 * stream completes after a final status or when the client is gone.
 */
final class TaskStream {

	private static final Logger log = LoggerFactory.getLogger(TaskStream.class);

	/** Events waiting for one stream: a reading client drains a few a second, far below this. */
	static final int QUEUE_CAPACITY = 32;

	private final UUID taskId;

	private final UUID userId;

	private final SseEmitter emitter;

	private final Executor sender;

	private final Queue<Runnable> outbox = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

	private final AtomicBoolean draining = new AtomicBoolean();

	private final AtomicBoolean released = new AtomicBoolean();

	private volatile boolean dropped;

	// written by one sender at a time, under this stream's lock
	private long sequence;

	private TaskStatus lastStatus;

	private volatile boolean done;

	TaskStream(UUID taskId, UUID userId, SseEmitter emitter, Executor sender) {
		this.taskId = taskId;
		this.userId = userId;
		this.emitter = emitter;
		this.sender = sender;
	}

	UUID taskId() {
		return this.taskId;
	}

	UUID userId() {
		return this.userId;
	}

	/** True the first time only: the stream's place under the owner's stream limit is given back once. */
	boolean release() {
		return this.released.compareAndSet(false, true);
	}

	/** Whether it was dropped for not reading. */
	boolean isDropped() {
		return this.dropped;
	}

	void send(String type, Task task) {
		enqueue(() -> write(type, task));
	}

	/** A state read from the database: sent only when it says something the stream has not. */
	void sendIfChanged(Task task) {
		enqueue(() -> {
			if (task.status() != this.lastStatus) {
				write(TaskEvent.STATUS, task);
			}
		});
	}

	void heartbeat() {
		enqueue(this::writeHeartbeat);
	}

	/** Ends the stream: the task is gone. */
	void end() {
		enqueue(this::complete);
	}

	/** The first event, written by the request's own thread before anything else can reach the stream. */
	synchronized void sendNow(String type, Task task) {
		write(type, task);
	}

	private void enqueue(Runnable item) {
		if (this.done || this.dropped) {
			return;
		}
		if (!this.outbox.offer(item)) {
			drop();
			return;
		}
		schedule();
	}

	private void schedule() {
		if (!this.draining.compareAndSet(false, true)) {
			return;
		}
		try {
			this.sender.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			// every sender is busy: nothing writes to this stream, so it can be completed right here
			this.draining.set(false);
			this.dropped = true;
			this.outbox.clear();
			synchronized (this) {
				complete();
			}
		}
	}

	private void drain() {
		try {
			Runnable next;
			while (!this.dropped && (next = this.outbox.poll()) != null) {
				synchronized (this) {
					next.run();
				}
			}
			if (this.dropped) {
				this.outbox.clear();
				synchronized (this) {
					complete();
				}
			}
		}
		finally {
			this.draining.set(false);
		}
		if (!this.done && (this.dropped || !this.outbox.isEmpty())) {
			// an event came in between the last poll and the flag
			schedule();
		}
	}

	private void drop() {
		if (!this.dropped) {
			this.dropped = true;
			log.info("Dropping the event stream of task {}: its client does not read", this.taskId);
		}
		// a sender blocked in a write completes it once the write returns; an idle one is started for it
		schedule();
	}

	private void write(String type, Task task) {
		if (this.done) {
			return;
		}
		try {
			TaskStatus previous = this.lastStatus;
			this.lastStatus = task.status();
			String eventType = (previous != null && previous != task.status()) ? TaskEvent.STATUS : type;
			this.emitter.send(SseEmitter.event()
				.id(Long.toString(++this.sequence))
				.name(eventType)
				.data(TaskResponse.of(task), MediaType.APPLICATION_JSON));
			if (task.status().isFinal()) {
				complete();
			}
		}
		catch (IOException | IllegalStateException ex) {
			this.done = true;
			this.emitter.completeWithError(ex);
		}
	}

	private void writeHeartbeat() {
		if (this.done) {
			return;
		}
		try {
			this.emitter.send(SseEmitter.event().comment("keep-alive"));
		}
		catch (IOException | IllegalStateException ex) {
			this.done = true;
		}
	}

	private void complete() {
		if (!this.done) {
			this.done = true;
			this.emitter.complete();
		}
	}

}

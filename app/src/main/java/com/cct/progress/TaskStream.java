package com.cct.progress;

import java.io.IOException;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskResponse;
import com.cct.task.TaskStatus;

/**
 * One client's event stream for one task. Sends are serialised; an event whose status differs from
 * the last one sent goes out as a {@code status} event; the stream completes after a final status
 * or when the client is gone.
 */
final class TaskStream {

	private final UUID taskId;

	private final SseEmitter emitter;

	private long sequence;

	private TaskStatus lastStatus;

	private boolean done;

	TaskStream(UUID taskId, SseEmitter emitter) {
		this.taskId = taskId;
		this.emitter = emitter;
	}

	UUID taskId() {
		return this.taskId;
	}

	synchronized void send(String type, Task task) {
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
				this.done = true;
				this.emitter.complete();
			}
		}
		catch (IOException | IllegalStateException ex) {
			this.done = true;
			this.emitter.completeWithError(ex);
		}
	}

	/** A state read from the database: sent only when it says something the stream has not. */
	synchronized void sendIfChanged(Task task) {
		if (task.status() != this.lastStatus) {
			send(TaskEvent.STATUS, task);
		}
	}

	synchronized void heartbeat() {
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

	/** Ends the stream: the task is gone. */
	synchronized void end() {
		if (!this.done) {
			this.done = true;
			this.emitter.complete();
		}
	}

}

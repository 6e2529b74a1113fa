package com.cct.webhook;

import java.util.Arrays;
import java.util.Optional;

import com.cct.task.TaskStatus;

/** The endings a webhook can be told about, under their names on the wire. */
public enum WebhookEvent {

	PROCESSED("task.processed", TaskStatus.PROCESSED), FAILED("task.failed", TaskStatus.FAILED),
	CANCELLED("task.cancelled", TaskStatus.CANCELLED);

	private final String id;

	private final TaskStatus status;

	WebhookEvent(String id, TaskStatus status) {
		this.id = id;
		this.status = status;
	}

	public String id() {
		return this.id;
	}

	public static Optional<WebhookEvent> parse(String id) {
		return Arrays.stream(values()).filter(event -> event.id.equals(id)).findFirst();
	}

	/** The event a task's ending is, empty for a status that is no ending. */
	public static Optional<WebhookEvent> of(TaskStatus status) {
		return Arrays.stream(values()).filter(event -> event.status == status).findFirst();
	}

}

package com.cct.task;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.auth.AuthenticatedUser;
import com.cct.progress.TaskEventRelay;
import com.cct.status.TaskEvent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Server-Sent Events for one task: a {@code status} snapshot first (so a reconnect, with or without
 * {@code Last-Event-ID}, loses nothing: events carry state, not deltas), then {@code status} and
 * {@code progress} events from Redis, ending after the final status. A database poll every few
 * seconds covers events missed while Redis was away.
 */
@RestController
@Tag(name = "Tasks")
@SecurityRequirement(name = "bearer")
class TaskEventsController {

	private static final Duration STREAM_LIMIT = Duration.ofHours(1);

	private static final long POLL_SECONDS = 3;

	private static final long HEARTBEAT_SECONDS = 15;

	private final TaskService reads;

	private final TaskEventRelay relay;

	private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, runnable -> {
		Thread thread = new Thread(runnable, "task-event-timers");
		thread.setDaemon(true);
		return thread;
	});

	TaskEventsController(TaskService reads, TaskEventRelay relay) {
		this.reads = reads;
		this.relay = relay;
	}

	@GetMapping(path = "/api/tasks/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Follow a task: status and progress events until it ends (send the bearer token)")
	SseEmitter events(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			HttpServletResponse response) {
		Task first = this.reads.get(user.id(), TaskIds.parse(id));
		UUID taskId = first.id();
		response.setHeader("X-Accel-Buffering", "no");
		response.setHeader("Cache-Control", "no-cache");
		SseEmitter emitter = new SseEmitter(STREAM_LIMIT.toMillis());
		Stream stream = new Stream(emitter);
		stream.send(TaskEvent.STATUS, first);
		if (first.status().isFinal()) {
			emitter.complete();
			return emitter;
		}
		Runnable unlisten = this.relay.listen(taskId, event -> stream.send(event.type(), event.task()));
		ScheduledFuture<?> poll = this.timers.scheduleWithFixedDelay(() -> {
			try {
				stream.sendIfChanged(this.reads.fromDatabase(user.id(), taskId));
			}
			catch (RuntimeException ex) {
				// deleted meanwhile, or the database is briefly away: the stream ends or tries again
				if (ex instanceof org.springframework.web.ErrorResponseException) {
					emitter.complete();
				}
			}
		}, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
		ScheduledFuture<?> heartbeat = this.timers.scheduleWithFixedDelay(stream::heartbeat, HEARTBEAT_SECONDS,
				HEARTBEAT_SECONDS, TimeUnit.SECONDS);
		Runnable cleanup = () -> {
			unlisten.run();
			poll.cancel(false);
			heartbeat.cancel(false);
		};
		emitter.onCompletion(cleanup);
		emitter.onTimeout(emitter::complete);
		emitter.onError(error -> cleanup.run());
		// the task may have ended between the snapshot and the subscription
		stream.sendIfChanged(this.reads.fromDatabase(user.id(), taskId));
		return emitter;
	}

	@PreDestroy
	void shutdown() {
		this.timers.shutdownNow();
	}

	/** One client's stream; sends are serialised and end the stream after a final status. */
	private static final class Stream {

		private final SseEmitter emitter;

		private final AtomicLong sequence = new AtomicLong();

		private final AtomicReference<TaskStatus> lastStatus = new AtomicReference<>();

		private volatile boolean done;

		Stream(SseEmitter emitter) {
			this.emitter = emitter;
		}

		synchronized void send(String type, Task task) {
			if (this.done) {
				return;
			}
			try {
				TaskStatus previous = this.lastStatus.getAndSet(task.status());
				String eventType = (previous != null && previous != task.status()) ? TaskEvent.STATUS : type;
				this.emitter.send(SseEmitter.event()
					.id(Long.toString(this.sequence.incrementAndGet()))
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

		void sendIfChanged(Task task) {
			if (task.status() != this.lastStatus.get()) {
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

	}

}

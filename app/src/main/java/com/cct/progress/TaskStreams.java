package com.cct.progress;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.system.Threads;
import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskRepository;

import jakarta.annotation.PreDestroy;

/**
 * The open event streams of this web process. Redis events reach them through the relay; while the
 * relay hears nothing from Redis (and once more right after it is back) every followed task is read
 * from PostgreSQL once per round, however many streams follow it. One timer thread also sends the
 * keep-alive comments that stop proxies from closing idle streams.
 */
@Component
class TaskStreams {

	private static final Logger log = LoggerFactory.getLogger(TaskStreams.class);

	private static final Duration STREAM_LIMIT = Duration.ofHours(1);

	private static final long POLL_SECONDS = 3;

	private static final long HEARTBEAT_SECONDS = 15;

	private final TaskEventRelay relay;

	private final TaskRepository tasks;

	private final ScheduledExecutorService timer = Threads.scheduler("task-streams");

	private boolean catchUpPending = true;

	TaskStreams(TaskEventRelay relay, TaskRepository tasks) {
		this.relay = relay;
		this.tasks = tasks;
		this.timer.scheduleWithFixedDelay(this::pollWhileRedisIsAway, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
		this.timer.scheduleWithFixedDelay(() -> this.relay.forEachStream(TaskStream::heartbeat), HEARTBEAT_SECONDS,
				HEARTBEAT_SECONDS, TimeUnit.SECONDS);
	}

	/** Opens a stream that starts with the task as the caller just read it. */
	SseEmitter open(Task first) {
		SseEmitter emitter = new SseEmitter(STREAM_LIMIT.toMillis());
		TaskStream stream = new TaskStream(first.id(), emitter);
		stream.send(TaskEvent.STATUS, first);
		if (first.status().isFinal()) {
			return emitter;
		}
		this.relay.add(stream);
		emitter.onCompletion(() -> this.relay.remove(stream));
		emitter.onTimeout(emitter::complete);
		emitter.onError(error -> this.relay.remove(stream));
		// the task may have ended between the snapshot and the subscription
		current(first.id(), stream);
		return emitter;
	}

	private void pollWhileRedisIsAway() {
		try {
			if (this.relay.isLive()) {
				if (!this.catchUpPending) {
					return;
				}
				// events published while the subscription was away are lost: read once more
				this.catchUpPending = false;
			}
			else {
				this.catchUpPending = true;
			}
			for (UUID taskId : this.relay.followedTasks()) {
				Optional<Task> now = this.tasks.findById(taskId);
				this.relay.deliver(taskId, stream -> now.ifPresentOrElse(stream::sendIfChanged, stream::end));
			}
		}
		catch (RuntimeException ex) {
			// the database is briefly away too: the next round tries again
			log.debug("Stream poll skipped: {}", ex.getMessage());
		}
	}

	private void current(UUID taskId, TaskStream stream) {
		try {
			this.tasks.findById(taskId).ifPresentOrElse(stream::sendIfChanged, stream::end);
		}
		catch (RuntimeException ex) {
			log.debug("Could not re-read task {} for a new stream: {}", taskId, ex.getMessage());
		}
	}

	@PreDestroy
	void shutdown() {
		this.timer.shutdownNow();
	}

}

package com.cct.progress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.system.Threads;
import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskRepository;
import com.cct.task.UserLimits;
import com.cct.web.Problems;

import jakarta.annotation.PreDestroy;

/**
 * The open event streams of this web process. Redis events reach them through the relay; while the
 * relay hears nothing from Redis (and once more right after it is back) every followed task is read
 * from PostgreSQL once per round, however many streams follow it. A timer thread of its own queues the
 * keep-alive comments that stop proxies from closing idle streams. Nobody of these writes to a
 * client: each stream has its own queue, written out by a pool of sender threads (a stream occupies
 * one only while it has something to send), so a client that does not read holds up no one else.
 * Even while the subscription listens, every followed task is read from PostgreSQL once per
 * {@code CCT_EVENTS_RECHECK}, so a stream whose final event never came still ends.
 * An account may keep {@code CCT_USER_STREAMS} streams open on one web process; the next is a 429.
 */
@Component
class TaskStreams {

	private static final Logger log = LoggerFactory.getLogger(TaskStreams.class);

	private static final Duration STREAM_LIMIT = Duration.ofHours(1);

	private static final long POLL_SECONDS = 3;

	private static final long HEARTBEAT_SECONDS = 15;

	/** Followed tasks read in one query by the recheck. */
	static final int RECHECK_BATCH = 500;

	/**
	 * Senders at most: each blocked writer (a client that stopped reading) holds one until Tomcat's
	 * write timeout; past this many at once, a stream with something to send is dropped instead.
	 */
	static final int MAX_SENDERS = 64;

	/** Streams end when their tasks do: a guess at when a place is free again. */
	private static final String STREAMS_RETRY_AFTER = "10";

	private final TaskEventRelay relay;

	private final TaskRepository tasks;

	private final UserLimits limits;

	private final ScheduledExecutorService timer = Threads.scheduler("task-streams");

	/** The database reads (poll, recheck) apart from the heartbeats: a slow database delays no keep-alive. */
	private final ScheduledExecutorService reads = Threads.scheduler("task-stream-reads");

	private final ThreadPoolExecutor senders = new ThreadPoolExecutor(0, MAX_SENDERS, 30, TimeUnit.SECONDS,
			new SynchronousQueue<>(), Threads.daemon("task-stream-sender"));

	private final Map<UUID, Integer> openPerUser = new ConcurrentHashMap<>();

	private boolean catchUpPending = true;

	TaskStreams(TaskEventRelay relay, TaskRepository tasks, UserLimits limits,
			@Value("${cct.events.recheck:15s}") Duration recheck) {
		this.relay = relay;
		this.tasks = tasks;
		this.limits = limits;
		this.reads.scheduleWithFixedDelay(this::pollWhileRedisIsAway, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
		this.reads.scheduleWithFixedDelay(this::recheckWhileRedisIsLive, recheck.toMillis(), recheck.toMillis(),
				TimeUnit.MILLISECONDS);
		this.timer.scheduleWithFixedDelay(() -> this.relay.forEachStream(TaskStream::heartbeat), HEARTBEAT_SECONDS,
				HEARTBEAT_SECONDS, TimeUnit.SECONDS);
	}

	/**
	 * Opens a stream that starts with the task as the caller just read it, or throws a 429 problem
	 * when the account has all the streams it may.
	 */
	SseEmitter open(UUID userId, Task first) {
		if (!acquire(userId)) {
			throw tooMany();
		}
		SseEmitter emitter = new SseEmitter(STREAM_LIMIT.toMillis());
		TaskStream stream = new TaskStream(first.id(), userId, emitter, this.senders);
		emitter.onCompletion(() -> closed(stream));
		emitter.onTimeout(emitter::complete);
		emitter.onError(error -> closed(stream));
		stream.sendNow(TaskEvent.STATUS, first);
		if (first.status().isFinal()) {
			return emitter;
		}
		this.relay.add(stream);
		// the task may have ended between the snapshot and the subscription
		current(first.id(), stream);
		return emitter;
	}

	private boolean acquire(UUID userId) {
		boolean[] acquired = { false };
		this.openPerUser.compute(userId, (id, open) -> {
			int count = open == null ? 0 : open;
			if (count >= this.limits.streams()) {
				return open;
			}
			acquired[0] = true;
			return count + 1;
		});
		return acquired[0];
	}

	private void closed(TaskStream stream) {
		this.relay.remove(stream);
		if (stream.release()) {
			this.openPerUser.computeIfPresent(stream.userId(), (id, open) -> open <= 1 ? null : open - 1);
		}
	}

	private ErrorResponseException tooMany() {
		int limit = this.limits.streams();
		ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams",
				"Too many open event streams",
				"You have " + limit + " event streams open, the most one account may have at once. Close one, or "
						+ "follow more tasks by polling GET /api/tasks, then try again.");
		problem.getHeaders().set(HttpHeaders.RETRY_AFTER, STREAMS_RETRY_AFTER);
		return problem;
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

	/**
	 * A final event can be lost while the subscription still listens: the worker's publish failed
	 * (Redis stalled, or the network between that worker and Redis broke for a moment) and nothing
	 * told this process. Each round reads the followed tasks from PostgreSQL and ends the streams
	 * whose task has ended or is gone. Only final states are taken from this read: an earlier state,
	 * read just before a newer event arrived, would otherwise go out after it.
	 */
	void recheckWhileRedisIsLive() {
		if (!this.relay.isLive()) {
			// the poll reads every followed task meanwhile
			return;
		}
		try {
			List<UUID> followed = List.copyOf(this.relay.followedTasks());
			for (int from = 0; from < followed.size(); from += RECHECK_BATCH) {
				List<UUID> batch = followed.subList(from, Math.min(followed.size(), from + RECHECK_BATCH));
				Map<UUID, Task> found = this.tasks.findAllById(batch)
					.stream()
					.collect(Collectors.toMap(Task::id, Function.identity()));
				for (UUID taskId : batch) {
					Task task = found.get(taskId);
					if (task == null) {
						this.relay.deliver(taskId, TaskStream::end);
					}
					else if (task.status().isFinal()) {
						this.relay.deliver(taskId, stream -> stream.sendIfChanged(task));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			log.debug("Stream recheck skipped: {}", ex.getMessage());
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
		this.reads.shutdownNow();
		this.senders.shutdownNow();
	}

}

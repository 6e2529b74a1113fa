package com.cct.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.format.Format;
import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskFixtures;
import com.cct.task.TaskResponse;
import com.cct.task.TaskStatus;

class TaskStreamTests {

	private final Task uploaded = TaskFixtures.uploaded(UUID.randomUUID(), "song.mp3", Format.MP3, Format.OGG);

	private final Task processing = TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSING);

	private final Task processed = TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSED);

	private final RecordingEmitter emitter = new RecordingEmitter();

	private final TaskStream stream = new TaskStream(this.uploaded.id(), this.uploaded.userId(), this.emitter, Runnable::run);

	@Nested
	class Send {

		@Test
		void theFirstEventIsNamedAsGivenAndCarriesTheTaskAsClientsSeeIt() {
			stream.send(TaskEvent.PROGRESS, processing);

			assertThat(emitter.events).hasSize(1);
			Event first = emitter.events.get(0);
			assertThat(first.name()).isEqualTo("progress");
			assertThat(first.id()).isEqualTo("1");
			assertThat(first.data()).isEqualTo(TaskResponse.of(processing));
			assertThat(emitter.completed).isZero();
		}

		@Test
		void eventsAreNumberedInOrder() {
			stream.send(TaskEvent.STATUS, uploaded);
			stream.send(TaskEvent.PROGRESS, uploaded);
			stream.send(TaskEvent.PROGRESS, uploaded);

			assertThat(emitter.events).extracting(Event::id).containsExactly("1", "2", "3");
		}

		@Test
		void anEventThatChangesTheStatusIsSentAsAStatusEvent() {
			stream.send(TaskEvent.STATUS, uploaded);
			stream.send(TaskEvent.PROGRESS, processing);
			stream.send(TaskEvent.PROGRESS, processing.withProgress(60));

			assertThat(emitter.events).extracting(Event::name).containsExactly("status", "status", "progress");
		}

		@Test
		void aFinalStatusCompletesTheStreamAndLaterEventsAreDropped() {
			stream.send(TaskEvent.PROGRESS, processing);
			stream.send(TaskEvent.STATUS, processed);
			stream.send(TaskEvent.STATUS, processed);
			stream.heartbeat();

			assertThat(emitter.events).hasSize(2);
			assertThat(emitter.events.get(1).data()).isEqualTo(TaskResponse.of(processed));
			assertThat(emitter.completed).isEqualTo(1);
		}

		@Test
		void aFailedSendEndsTheStreamWithTheError() {
			IOException gone = new IOException("client went away");
			emitter.failWith = gone;

			stream.send(TaskEvent.STATUS, uploaded);
			emitter.failWith = null;
			stream.send(TaskEvent.STATUS, processing);

			assertThat(emitter.error).isSameAs(gone);
			assertThat(emitter.events).isEmpty();
		}

		@Test
		void aSendToAnEmitterThatIsAlreadyCompleteEndsTheStreamToo() {
			emitter.failWith = new IllegalStateException("already completed");

			stream.send(TaskEvent.STATUS, uploaded);

			assertThat(emitter.error).isInstanceOf(IllegalStateException.class);
		}

	}

	@Nested
	class SendIfChanged {

		@Test
		void sendsTheFirstStateAndThenOnlyAChangedStatus() {
			stream.sendIfChanged(uploaded);
			stream.sendIfChanged(uploaded);
			stream.sendIfChanged(processing);
			stream.sendIfChanged(processing.withProgress(70));

			assertThat(emitter.events).extracting(Event::name).containsExactly("status", "status");
			assertThat(emitter.events).extracting(Event::data)
				.containsExactly(TaskResponse.of(uploaded), TaskResponse.of(processing));
		}

		@Test
		void aFinalStateReadFromTheDatabaseCompletesTheStream() {
			stream.send(TaskEvent.PROGRESS, processing);
			stream.sendIfChanged(processed);

			assertThat(emitter.events).extracting(Event::name).containsExactly("progress", "status");
			assertThat(emitter.completed).isEqualTo(1);
		}

	}

	@Nested
	class HeartbeatAndEnd {

		@Test
		void aHeartbeatIsAKeepAliveComment() {
			stream.heartbeat();

			assertThat(emitter.events).singleElement().satisfies(event -> {
				assertThat(event.comment()).isEqualTo("keep-alive");
				assertThat(event.name()).isNull();
				assertThat(event.data()).isNull();
			});
		}

		@Test
		void aHeartbeatAfterTheEndDoesNothing() {
			stream.end();
			stream.heartbeat();

			assertThat(emitter.events).isEmpty();
		}

		@Test
		void aFailedHeartbeatEndsTheStreamQuietly() {
			emitter.failWith = new IOException("broken pipe");
			stream.heartbeat();
			emitter.failWith = null;
			stream.send(TaskEvent.STATUS, processing);

			assertThat(emitter.events).isEmpty();
			assertThat(emitter.error).isNull();
		}

		@Test
		void endCompletesOnceAndDropsLaterEvents() {
			stream.end();
			stream.end();
			stream.send(TaskEvent.STATUS, processing);

			assertThat(emitter.completed).isEqualTo(1);
			assertThat(emitter.events).isEmpty();
		}

	}

	@Nested
	class SlowClient {

		private final ExecutorService senders = Executors.newCachedThreadPool();

		@AfterEach
		void stopSenders() {
			this.senders.shutdownNow();
		}

		@Test
		void aClientThatStopsReadingFillsOnlyItsOwnQueueAndIsDroppedWhileOthersGoOn() throws Exception {
			CountDownLatch stuck = new CountDownLatch(1);
			CountDownLatch unblock = new CountDownLatch(1);
			RecordingEmitter slowEmitter = new RecordingEmitter() {
				@Override
				public void send(SseEventBuilder builder) throws IOException {
					stuck.countDown();
					try {
						// a write into a full socket: returns when the client reads (or the write times out)
						unblock.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					super.send(builder);
				}
			};
			TaskStream slow = new TaskStream(uploaded.id(), uploaded.userId(), slowEmitter, this.senders);
			TaskStream other = new TaskStream(uploaded.id(), UUID.randomUUID(), emitter, this.senders);

			slow.send(TaskEvent.PROGRESS, processing);
			assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
			long began = System.nanoTime();
			// the relay's thread: every hand-over returns at once, however many
			for (int i = 0; i <= TaskStream.QUEUE_CAPACITY + 5; i++) {
				slow.send(TaskEvent.PROGRESS, processing.withProgress(i % 100));
			}
			other.send(TaskEvent.PROGRESS, processing);
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
			assertThat(slow.isDropped()).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> emitter.events.size() == 1);

			unblock.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> slowEmitter.completed == 1);
			assertThat(slowEmitter.events).as("only the write that was under way").hasSize(1);
			slow.send(TaskEvent.STATUS, processed);
			assertThat(slowEmitter.events).hasSize(1);
			assertThat(other.isDropped()).isFalse();
		}

		@Test
		void whenNoSenderIsFreeTheStreamIsDroppedAndCompletedRightAway() {
			TaskStream stream = new TaskStream(uploaded.id(), uploaded.userId(), emitter, task -> {
				throw new RejectedExecutionException("all senders busy");
			});

			stream.send(TaskEvent.PROGRESS, processing);

			assertThat(stream.isDropped()).isTrue();
			assertThat(emitter.completed).isEqualTo(1);
			assertThat(emitter.events).isEmpty();
		}

	}

	/** What one SSE event said, read back from the builder. */
	record Event(String id, String name, String comment, Object data) {

		static Event of(SseEmitter.SseEventBuilder builder) {
			String id = null;
			String name = null;
			String comment = null;
			Object data = null;
			StringBuilder text = new StringBuilder();
			for (DataWithMediaType part : builder.build()) {
				if (part.getData() instanceof String string) {
					text.append(string);
				}
				else {
					data = part.getData();
				}
			}
			for (String line : text.toString().split("\n")) {
				if (line.startsWith("id:")) {
					id = line.substring(3);
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6);
				}
				else if (line.startsWith(":")) {
					comment = line.substring(1);
				}
			}
			return new Event(id, name, comment, data);
		}

	}

	/** Records what the stream sends and whether it completed, instead of writing to a response. */
	static class RecordingEmitter extends SseEmitter {

		final List<Event> events = new CopyOnWriteArrayList<>();

		volatile int completed;

		Throwable error;

		Exception failWith;

		@Override
		public void send(SseEventBuilder builder) throws IOException {
			if (this.failWith instanceof IOException io) {
				throw io;
			}
			if (this.failWith instanceof RuntimeException runtime) {
				throw runtime;
			}
			this.events.add(Event.of(builder));
		}

		@Override
		public void complete() {
			this.completed++;
		}

		@Override
		public void completeWithError(Throwable ex) {
			this.error = ex;
		}

	}

}

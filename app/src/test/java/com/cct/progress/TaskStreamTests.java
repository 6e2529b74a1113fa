package com.cct.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

	private final TaskStream stream = new TaskStream(this.uploaded.id(), this.emitter);

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
	static final class RecordingEmitter extends SseEmitter {

		final List<Event> events = new ArrayList<>();

		int completed;

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

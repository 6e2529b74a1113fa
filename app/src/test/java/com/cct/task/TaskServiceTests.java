package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

import com.cct.format.Format;

/** Reads and commands for a task's owner, with the store, cache and lifecycle as mocks. */
class TaskServiceTests {

	private final TaskRepository tasks = mock(TaskRepository.class);

	private final TaskStatusCache cache = mock(TaskStatusCache.class);

	private final TaskLifecycle lifecycle = mock(TaskLifecycle.class);

	private final TaskService service = new TaskService(this.tasks, this.cache, this.lifecycle);

	private final UUID alice = UUID.randomUUID();

	private final UUID bob = UUID.randomUUID();

	private final Task task = TaskFixtures.uploaded(this.alice, "song.mp3", Format.MP3, Format.OGG);

	@Nested
	class Get {

		@Test
		void aCachedSnapshotIsServedWithoutADatabaseRead() {
			Task running = TaskFixtures.inStatus(task, TaskStatus.PROCESSING);
			given(cache.get(task.id())).willReturn(Optional.of(running));

			assertThat(service.get(alice, task.id())).isSameAs(running);
			verifyNoInteractions(tasks);
		}

		@Test
		void anotherUsersCachedTaskIsNotFound() {
			given(cache.get(task.id())).willReturn(Optional.of(task));

			assertNotFound(() -> service.get(bob, task.id()));
			verifyNoInteractions(tasks);
		}

		@Test
		void aCacheMissReadsTheOwnersTaskAndCachesIt() {
			given(tasks.findByIdAndUserId(task.id(), alice)).willReturn(Optional.of(task));

			assertThat(service.get(alice, task.id())).isSameAs(task);
			verify(cache).put(task);
		}

		@Test
		void aTaskNeitherCachedNorStoredForThatUserIsNotFound() {
			assertNotFound(() -> service.get(bob, task.id()));
			verify(cache, never()).put(any());
		}

	}

	@Nested
	class Listing {

		@Test
		void readsInTheAskedOrderAndReplacesRunningRowsByTheirFresherSnapshot() {
			Task running = TaskFixtures.inStatus(TaskFixtures.uploaded(alice, "clip.mp4", Format.MP4, Format.WEBM),
					TaskStatus.PROCESSING);
			Task fresher = running.withProgress(85);
			given(tasks.findNewestFirst(alice, 2)).willReturn(List.of(running, task));
			given(cache.get(running.id())).willReturn(Optional.of(fresher));

			assertThat(service.list(alice, 2, true)).containsExactly(fresher, task);
			verify(cache, never()).get(task.id());
			verify(tasks, never()).findOldestFirst(alice, 2);
		}

		@Test
		void keepsTheRowWhenTheSnapshotIsMissingOrNotTheUsers() {
			Task running = TaskFixtures.inStatus(task, TaskStatus.PROCESSING);
			Task foreign = TaskFixtures.inStatus(TaskFixtures.uploaded(bob, "x.mp3", Format.MP3, Format.OGG),
					TaskStatus.PROCESSING);
			given(tasks.findOldestFirst(alice, 10)).willReturn(List.of(running, foreign));
			given(cache.get(foreign.id())).willReturn(Optional.of(foreign.withProgress(99)));

			assertThat(service.list(alice, 10, false)).containsExactly(running, foreign);
		}

	}

	@Nested
	class Commands {

		@Test
		void deletingAProcessingTaskIsAConflictThatSaysToCancelFirst() {
			Task running = TaskFixtures.inStatus(task, TaskStatus.PROCESSING);
			given(tasks.findByIdAndUserId(task.id(), alice)).willReturn(Optional.of(running));
			given(lifecycle.delete(running)).willReturn(false);

			ErrorResponseException problem = assertProblem(() -> service.delete(alice, task.id()), 409,
					"task-processing");
			assertThat(problem.getBody().getDetail()).contains("Cancel it first");
		}

		@Test
		void deletingSomeoneElsesTaskIsNotFoundAndDeletesNothing() {
			assertNotFound(() -> service.delete(bob, task.id()));
			verifyNoInteractions(lifecycle);
		}

		@Test
		void aRefusedCancelIsAConflictNamingTheCurrentStatus() {
			Task done = TaskFixtures.inStatus(task, TaskStatus.PROCESSED);
			given(tasks.findByIdAndUserId(task.id(), alice)).willReturn(Optional.of(done));
			given(lifecycle.cancel(done)).willReturn(Optional.empty());

			ErrorResponseException problem = assertProblem(() -> service.cancel(alice, task.id()), 409,
					"already-finished");
			assertThat(problem.getBody().getDetail()).contains("processed");
		}

		@Test
		void aRefusedRetryIsAConflictNamingTheCurrentStatus() {
			Task running = TaskFixtures.inStatus(task, TaskStatus.PROCESSING);
			given(tasks.findByIdAndUserId(task.id(), alice)).willReturn(Optional.of(running));
			given(lifecycle.retry(running)).willReturn(Optional.empty());

			ErrorResponseException problem = assertProblem(() -> service.retry(alice, task.id()), 409,
					"not-retryable");
			assertThat(problem.getBody().getDetail()).contains("processing");
		}

		@Test
		void anAcceptedCancelReturnsTheCancelledTask() {
			Task cancelled = TaskFixtures.inStatus(task, TaskStatus.CANCELLED);
			given(tasks.findByIdAndUserId(task.id(), alice)).willReturn(Optional.of(task));
			given(lifecycle.cancel(task)).willReturn(Optional.of(cancelled));

			assertThat(service.cancel(alice, task.id())).isSameAs(cancelled);
		}

	}

	private static void assertNotFound(ThrowingCallable call) {
		assertProblem(call, 404, "not-found");
	}

	private static ErrorResponseException assertProblem(ThrowingCallable call, int status, String slug) {
		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class, call);
		assertThat(problem).as("a %s problem", slug).isNotNull();
		assertThat(problem.getStatusCode().value()).isEqualTo(status);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:" + slug);
		return problem;
	}

}

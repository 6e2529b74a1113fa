package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;
import com.cct.task.TaskStatus;

class ConversionContextTests {

	@TempDir
	Path root;

	final MutableClock clock = new MutableClock();

	final List<Double> progress = new CopyOnWriteArrayList<>();

	FileStorage storage;

	Task task;

	ProcessScope scope;

	ConversionContext context;

	@BeforeEach
	void setUp() {
		this.storage = new FileStorage(new StorageSettings(this.root));
		this.task = new Task(UUID.randomUUID(), UUID.randomUUID(), "song.mp3", Format.MP3, Format.OGG, null,
				TaskStatus.PROCESSING, 0, 10, null, FileStorage.newStoredName("mp3"), FileStorage.newStoredName("ogg"),
				null, false, null, Instant.now(), Instant.now(), null, 0);
		this.scope = new ProcessScope(this.task.id(), Duration.ofMinutes(30), this.clock);
		this.context = new ConversionContext(this.task, this.storage.original(this.task),
				this.storage.newTempFile(this.task, "ogg"), this.storage.workspace(this.task), this.progress::add, this.scope);
	}

	@AfterEach
	void tearDown() {
		this.scope.close();
		Thread.interrupted();
	}

	@Test
	void checkpointPassesWhileNothingStopsTheConversion() {
		assertThatCode(this.context::checkpoint).doesNotThrowAnyException();
	}

	@Test
	void checkpointThrowsInterruptedOnceCancelled() {
		this.scope.cancel();
		assertThatThrownBy(this.context::checkpoint).isInstanceOf(InterruptedException.class)
			.hasMessage("conversion cancelled");
	}

	@Test
	void checkpointThrowsInterruptedWhenTheJobThreadIsInterrupted() {
		Thread.currentThread().interrupt();
		assertThatThrownBy(this.context::checkpoint).isInstanceOf(InterruptedException.class);
	}

	@Test
	void checkpointThrowsDeadlineExceededOncePastTheLimit() {
		this.clock.advance(Duration.ofMinutes(30).plusSeconds(1));
		assertThatThrownBy(this.context::checkpoint).isInstanceOf(DeadlineExceededException.class)
			.hasMessage("The conversion took longer than its limit of 30 min and was stopped.");
	}

	@Test
	void limitToTightensTheScopesDeadline() {
		this.context.limitTo(Duration.ofSeconds(90));
		assertThat(this.scope.limit()).isEqualTo(Duration.ofSeconds(90));
		this.clock.advance(Duration.ofSeconds(91));
		assertThatThrownBy(this.context::checkpoint).isInstanceOf(DeadlineExceededException.class)
			.hasMessageContaining("90 s");
	}

	@Test
	void cancellingWinsOverTheDeadline() {
		this.clock.advance(Duration.ofHours(1));
		this.scope.cancel();
		assertThatThrownBy(this.context::checkpoint).isInstanceOf(InterruptedException.class);
	}

	@Test
	void progressIsClampedToAFraction() {
		this.context.progress(-0.5);
		this.context.progress(0.25);
		this.context.progress(1.0);
		this.context.progress(7.0);
		assertThat(this.progress).containsExactly(0.0, 0.25, 1.0, 1.0);
	}

	@Test
	void givesTheTaskItsPathsAndScratchSpaceInTheTaskFolder() {
		assertThat(this.context.task()).isSameAs(this.task);
		assertThat(this.context.input()).isEqualTo(this.storage.original(this.task));
		assertThat(this.context.output().getParent()).isEqualTo(this.storage.taskFolder(this.task));
		assertThat(this.context.processes()).isSameAs(this.scope);
		Path scratch = this.context.newTempFolder();
		assertThat(scratch).isDirectory().hasParent(this.storage.taskFolder(this.task));
		this.storage.deleteTemporaries(this.task);
		assertThat(scratch).doesNotExist();
	}

}

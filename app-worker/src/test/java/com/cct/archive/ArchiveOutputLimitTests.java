package com.cct.archive;

import static com.cct.archive.ArchiveFixtures.randomBytes;
import static com.cct.archive.ArchiveFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.ProcessScope;
import com.cct.conversion.RejectedInputException;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;

/** The archive writer counts what it writes: a result over the ceiling stops there and is removed. */
class ArchiveOutputLimitTests {

	@TempDir
	Path root;

	@ParameterizedTest
	@ValueSource(strings = { "zip", "7z", "tar.gz", "tar.bz2", "tar.xz" })
	void aResultOverTheCeilingStopsAndIsRemoved(String target) throws Exception {
		FileStorage storage = new FileStorage(new StorageSettings(this.root));
		Task task = task("noise.bin", "bin", target);
		storage.createFolder(task);
		// random bytes do not compress: 4 MB in, about 4 MB out
		Files.write(storage.original(task), randomBytes(4 * 1024 * 1024, 7));
		Path output = storage.newTempFile(task, task.target().extension());
		ConversionContext context = new ConversionContext(task, storage.original(task), output, storage.workspace(task), progress -> {
		}, new ProcessScope(task.id(), Duration.ofMinutes(5), Clock.systemUTC()));
		context.limitOutputTo(1024 * 1024);

		assertThatThrownBy(() -> new ArchiveConverter(ArchiveSettings.defaults()).convert(context))
			.isInstanceOf(RejectedInputException.class)
			.hasMessage("The result would be larger than the limit of 1 MB.");
		assertThat(output).doesNotExist();
	}

}

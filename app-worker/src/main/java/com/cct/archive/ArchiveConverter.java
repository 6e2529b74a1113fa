package com.cct.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.Converter;
import com.cct.format.ConversionMatrix.Operation;
import com.cct.format.Format;
import com.cct.task.FileNames;
import com.cct.task.Task;

/**
 * Archive targets. Any upload that is not itself an archive is packed as the single entry of the
 * result, under its sanitised name; an uploaded archive is unpacked into scratch space, within the
 * {@link ArchiveSettings} limits, and every file and folder it holds is written into the target kind.
 */
@Component
class ArchiveConverter implements Converter {

	private static final Logger log = LoggerFactory.getLogger(ArchiveConverter.class);

	private final ArchiveSettings settings;

	ArchiveConverter(ArchiveSettings settings) {
		this.settings = settings;
	}

	@Override
	public boolean handles(Task task) {
		return task.operation() != Operation.MEDIA;
	}

	@Override
	public void convert(ConversionContext context) throws IOException, InterruptedException {
		Task task = context.task();
		if (task.operation() == Operation.REPACK) {
			repack(task.source(), task.target(), context);
		}
		else {
			pack(task.target(), context);
		}
	}

	private void pack(Format target, ConversionContext context) throws IOException, InterruptedException {
		Path input = context.input();
		PackEntry entry = PackEntry.file(FileNames.entryName(context.task().fileName()), input, Files.size(input),
				Files.getLastModifiedTime(input));
		ArchiveWriter.write(target, List.of(entry), context.output(), context, 0);
	}

	private void repack(Format source, Format target, ConversionContext context)
			throws IOException, InterruptedException {
		Path folder = context.newTempFolder();
		try {
			Extraction extraction = new Extraction(folder, this.settings, context, Files.size(context.input()));
			ArchiveReader.extract(source, context.input(), extraction);
			ArchiveWriter.write(target, extraction.entries(), context.output(), context, Extraction.SHARE);
		}
		finally {
			// the runner removes scratch space too; freeing up to the size limit at once is kinder
			try {
				FileSystemUtils.deleteRecursively(folder);
			}
			catch (IOException ex) {
				log.warn("Could not delete an extraction folder; the runner's clean-up will retry: {}", ex.toString());
			}
		}
	}

}

package com.cct.conversion;

import java.io.IOException;

import com.cct.task.Task;

/**
 * One family of conversions (media through ffmpeg, archives through Commons Compress). The runner
 * picks the first converter that handles a task and gives it a context holding the input, the
 * temporary output and the controls for progress, cancellation and the deadline.
 */
public interface Converter {

	boolean handles(Task task);

	/**
	 * Writes the result to {@link ConversionContext#output()}. Throws
	 * {@link RejectedInputException} when the input itself is at fault (no retry helps), any other
	 * exception for a failure a retry may cure.
	 */
	void convert(ConversionContext context) throws IOException, InterruptedException;

}

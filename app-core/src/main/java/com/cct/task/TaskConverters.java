package com.cct.task;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;

import com.cct.format.Format;
import com.cct.format.Quality;

/**
 * Stores the task's typed values as the words clients see: the status (which the schema checks),
 * formats by id, quality by name. A source the service no longer knows reads as "any file".
 */
@Configuration(proxyBeanMethods = false)
class TaskConverters extends AbstractJdbcConfiguration {

	@Override
	protected List<?> userConverters() {
		return List.of(new StatusToText(), new TextToStatus(), new FormatToText(), new TextToFormat(),
				new QualityToText(), new TextToQuality());
	}

	@WritingConverter
	static class StatusToText implements Converter<TaskStatus, String> {

		@Override
		public String convert(TaskStatus status) {
			return status.value();
		}

	}

	@ReadingConverter
	static class TextToStatus implements Converter<String, TaskStatus> {

		@Override
		public TaskStatus convert(String text) {
			return TaskStatus.fromValue(text);
		}

	}

	@WritingConverter
	static class FormatToText implements Converter<Format, String> {

		@Override
		public String convert(Format format) {
			return format.id();
		}

	}

	@ReadingConverter
	static class TextToFormat implements Converter<String, Format> {

		@Override
		public Format convert(String text) {
			return Format.fromId(text).orElse(null);
		}

	}

	@WritingConverter
	static class QualityToText implements Converter<Quality, String> {

		@Override
		public String convert(Quality quality) {
			return quality.id();
		}

	}

	@ReadingConverter
	static class TextToQuality implements Converter<String, Quality> {

		@Override
		public Quality convert(String text) {
			return Quality.fromId(text).orElse(null);
		}

	}

}

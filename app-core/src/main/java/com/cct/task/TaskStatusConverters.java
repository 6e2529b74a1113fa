package com.cct.task;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;

/** Stores {@link TaskStatus} as the lower-case word clients see, which the schema checks. */
@Configuration(proxyBeanMethods = false)
class TaskStatusConverters extends AbstractJdbcConfiguration {

	@Override
	protected List<?> userConverters() {
		return List.of(new StatusToText(), new TextToStatus());
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

}

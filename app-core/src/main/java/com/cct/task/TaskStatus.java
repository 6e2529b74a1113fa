package com.cct.task;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a task stands. Only {@link #PROCESSED}, {@link #FAILED} and {@link #CANCELLED} are final. */
public enum TaskStatus {
	UPLOADED, PROCESSING, PROCESSED, FAILED, CANCELLED;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean isFinal() {
		return this == PROCESSED || this == FAILED || this == CANCELLED;
	}

	public static TaskStatus fromValue(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	@Override
	public String toString() {
		return value();
	}
}

package com.cct.format;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** How hard media compression squeezes: {@code low} trades quality for the smallest file. */
public enum Quality {
	HIGH, MEDIUM, LOW;

	@JsonValue
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<Quality> fromId(String value) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		for (Quality quality : values()) {
			if (quality.id().equalsIgnoreCase(value.trim())) {
				return Optional.of(quality);
			}
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return id();
	}
}

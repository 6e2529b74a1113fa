package com.cct.conversion;

import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;

import com.cct.task.Task;
import com.cct.task.TaskStatus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Our meters beside JobRunr's: conversions by format pair and outcome, durations, pickup latency, bytes. */
@Component
class ConversionMetrics {

	private final MeterRegistry registry;

	private final Timer pickup;

	private final Clock clock;

	ConversionMetrics(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
		this.pickup = Timer.builder("cct.task.pickup")
			.description("From upload to a worker starting the task (first attempt)")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	void pickedUp(Task task) {
		if (task.status() == TaskStatus.UPLOADED && task.startedAt() == null) {
			this.pickup.record(Duration.between(task.createdAt(), this.clock.instant()));
		}
	}

	void converted(Task task, String outcome, Duration took, long bytesOut) {
		Timer.builder("cct.conversions")
			.description("Conversions by format pair and outcome")
			.tag("from", task.source() == null ? "other" : task.source().id())
			.tag("to", task.target().id())
			.tag("outcome", outcome)
			.register(this.registry)
			.record(took);
		Counter.builder("cct.bytes.in").baseUnit("bytes").register(this.registry).increment(task.sizeBytes());
		if (bytesOut > 0) {
			Counter.builder("cct.bytes.out").baseUnit("bytes").register(this.registry).increment(bytesOut);
		}
	}

}

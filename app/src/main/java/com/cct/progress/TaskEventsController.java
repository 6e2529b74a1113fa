package com.cct.progress;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.cct.auth.AuthenticatedUser;
import com.cct.task.Task;
import com.cct.task.TaskIds;
import com.cct.task.TaskService;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Server-Sent Events for one task: a {@code status} snapshot first (so a reconnect, with or without
 * {@code Last-Event-ID}, loses nothing: events carry state, not deltas), then {@code status} and
 * {@code progress} events until the task ends. An account may have {@code CCT_USER_STREAMS} open at
 * once (429 beyond).
 */
@RestController
@Tag(name = "Tasks")
@SecurityRequirement(name = "bearer")
class TaskEventsController {

	private final TaskService tasks;

	private final TaskStreams streams;

	TaskEventsController(TaskService tasks, TaskStreams streams) {
		this.tasks = tasks;
		this.streams = streams;
	}

	@GetMapping(path = "/api/tasks/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Follow a task: status and progress events until it ends (send the bearer token)")
	@ApiResponse(responseCode = "429", description = "The account has CCT_USER_STREAMS streams open already")
	SseEmitter events(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			HttpServletResponse response) {
		Task first = this.tasks.get(user.id(), TaskIds.parse(id));
		response.setHeader("X-Accel-Buffering", "no");
		response.setHeader("Cache-Control", "no-cache");
		return this.streams.open(user.id(), first);
	}

}

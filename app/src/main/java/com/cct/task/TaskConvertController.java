package com.cct.task;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.cct.upload.TaskUploads;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A further conversion of an original already uploaded: no bytes are sent again. */
@RestController
@RequestMapping("/api/tasks/{id}/convert")
@Tag(name = "Tasks")
@SecurityRequirement(name = "bearer")
class TaskConvertController {

	private final TaskUploads uploads;

	TaskConvertController(TaskUploads uploads) {
		this.uploads = uploads;
	}

	/** The fields of an upload, bar the file: it is the task's original. */
	record ConvertRequest(@Schema(description = "One target format, e.g. ogg", requiredMode = Schema.RequiredMode.REQUIRED) String newFormat,
			@Schema(description = "high, medium or low (media only)") String quality,
			@JsonProperty("notify") @Schema(description = "false: no mail when the task ends (default: the account's setting)") Boolean notifyOwner) {
	}

	@PostMapping
	@Operation(summary = "Convert a task's original again, to another target, as a new task",
			description = "The new task has its own id and files; its original is the same stored bytes (counted "
					+ "once against the storage quota; not an upload against the hourly limit).")
	@ApiResponse(responseCode = "201", description = "Task created; Location names it")
	@ApiResponse(responseCode = "400", description = "Missing, unknown or several formats, unknown quality, unsupported pair for this file")
	@ApiResponse(responseCode = "404", description = "No such task, or not yours")
	@ApiResponse(responseCode = "409", description = "The task's original is no longer stored")
	@ApiResponse(responseCode = "429", description = "Too many unfinished tasks; see Retry-After")
	ResponseEntity<TaskResponse> convert(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			@RequestBody ConvertRequest body) {
		Task task = this.uploads.convert(user, TaskIds.parse(id), body.newFormat(), body.quality(), body.notifyOwner());
		return ResponseEntity.created(URI.create("/api/tasks/" + task.id())).body(TaskResponse.of(task));
	}

}

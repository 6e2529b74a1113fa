package com.cct.task;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.cct.upload.TaskUploads;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.servlet.http.HttpServletRequest;

@RestController
@RequestMapping("/api/tasks")
@Tag(name = "Tasks")
@SecurityRequirement(name = "bearer")
class TaskController {

	private static final int MAX_LIST = 1000;

	private final TaskUploads uploads;

	private final TaskService service;

	TaskController(TaskUploads uploads, TaskService service) {
		this.uploads = uploads;
		this.service = service;
	}

	@PostMapping
	@Operation(operationId = "create", summary = "Upload a file and queue its conversion",
			description = "The body is multipart/form-data (file part 'fileName' or 'file', fields 'newFormat', 'quality', "
					+ "'notify'; send the fields before the file so a wrong file is refused before it is stored), or the "
					+ "file itself (any other Content-Type, e.g. application/octet-stream) with the fields in the query: "
					+ "?fileName=song.wav&newFormat=mp3. Several targets (newFormat=mp3,ogg,flac, or newFormat repeated; at "
					+ "most 10, each once) make a batch: one task per target sharing one stored original, answered as "
					+ "{\"tasks\": [...]} in the targets' order, without Location.")
	@Parameter(name = "newFormat", in = ParameterIn.QUERY, description = "Target format, e.g. mp3, webm, png, zip; see GET /api/formats (or a multipart field)", schema = @Schema(type = "string"))
	@Parameter(name = "quality", in = ParameterIn.QUERY, description = "high, medium or low (media only)", schema = @Schema(type = "string"))
	@Parameter(name = "notify", in = ParameterIn.QUERY, description = "false: no mail when the task ends (default: the account's setting)", schema = @Schema(type = "boolean"))
	@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "A retry with the same key returns the same task", schema = @Schema(type = "string"))
	@io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The file as a multipart part (the fields may "
			+ "also be multipart fields), or the raw file with ?fileName=... in the query",
			content = @Content(mediaType = "multipart/form-data", schema = @Schema(implementation = UploadForm.class)))
	@ApiResponse(responseCode = "201", description = "Task created (or replayed for a known Idempotency-Key); for several targets {\"tasks\": [...]}",
			content = @Content(schema = @Schema(implementation = TaskResponse.class)))
	// (a batch's {"tasks": [...]} is described, not typed: as oneOf/anyOf the generated clients cannot
	// tell the two shapes apart, and the one-target answer is the course contract)
	@ApiResponse(responseCode = "400", description = "Missing part, unknown format or quality, unsupported pair, empty file, unreadable body")
	@ApiResponse(responseCode = "413", description = "File larger than CCT_MAX_UPLOAD_SIZE, or more than the account's storage quota has left")
	@ApiResponse(responseCode = "415", description = "The content is not what the file name claims")
	@ApiResponse(responseCode = "429", description = "Too many unfinished tasks or uploads in the last hour; see Retry-After")
	ResponseEntity<Object> create(@AuthenticationPrincipal AuthenticatedUser user, HttpServletRequest request) {
		// the body is read here, as it arrives (multipart resolution is off: nothing spooled it before)
		TaskUploads.Outcome outcome = this.uploads.upload(user, request);
		Task task = outcome.task();
		// a batch is several resources: no one Location, each task's id is in the body
		ResponseEntity.BodyBuilder created = (outcome.batch() ? ResponseEntity.status(HttpStatus.CREATED)
				: ResponseEntity.created(URI.create("/api/tasks/" + task.id())))
			.header("Idempotent-Replayed", Boolean.toString(outcome.replayed()));
		if (outcome.replayed()) {
			// a replay is answered without reading the body again; Tomcat would close the connection
			// silently after swallowing 2 MB of it
			created.header(HttpHeaders.CONNECTION, "close");
		}
		if (outcome.batch()) {
			return created.body(new BatchResponse(outcome.tasks().stream().map(TaskResponse::of).toList()));
		}
		return created.body(TaskResponse.of(task));
	}

	@GetMapping
	@Operation(summary = "List your tasks")
	List<TaskResponse> list(@AuthenticationPrincipal AuthenticatedUser user,
			@Parameter(description = "How many tasks at most (1-1000)") @RequestParam(defaultValue = "100") int max,
			@Parameter(description = "0: oldest first, 1: newest first") @RequestParam(defaultValue = "0") int order,
			@Parameter(description = "Only tasks in this status: uploaded, processing, processed, failed or cancelled") @RequestParam(required = false) String status) {
		if (max < 1 || max > MAX_LIST) {
			throw Problems.badRequest("invalid-max", "Invalid max", "'max' must be between 1 and " + MAX_LIST + ".");
		}
		if (order != 0 && order != 1) {
			throw Problems.badRequest("invalid-order", "Invalid order", "'order' is 0 (oldest first) or 1 (newest first).");
		}
		TaskStatus only = status(status);
		List<Task> tasks = only == null ? this.service.list(user.id(), max, order == 1)
				: this.service.list(user.id(), max, order == 1, only);
		return tasks.stream().map(TaskResponse::of).toList();
	}

	private static TaskStatus status(String value) {
		if (value == null) {
			return null;
		}
		return Arrays.stream(TaskStatus.values())
			.filter(status -> status.value().equals(value))
			.findFirst()
			.orElseThrow(() -> Problems.badRequest("invalid-status", "Invalid status",
					"'status' is one of uploaded, processing, processed, failed or cancelled."));
	}

	@GetMapping("/{id}")
	@Operation(summary = "One task, with live status and progress")
	@ApiResponse(responseCode = "200", description = "The task")
	@ApiResponse(responseCode = "404", description = "No such task, or not yours")
	TaskResponse get(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id) {
		return TaskResponse.of(this.service.get(user.id(), TaskIds.parse(id)));
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Delete a task, its job and its files")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "409", description = "The task is processing: cancel it first")
	ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id) {
		this.service.delete(user.id(), TaskIds.parse(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/cancel")
	@Operation(summary = "Stop a queued or running conversion")
	@ApiResponse(responseCode = "202", description = "Cancelled; a running ffmpeg is killed")
	@ApiResponse(responseCode = "409", description = "The task already finished")
	ResponseEntity<TaskResponse> cancel(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(TaskResponse.of(this.service.cancel(user.id(), TaskIds.parse(id))));
	}

	@PostMapping("/{id}/retry")
	@Operation(summary = "Run a failed or cancelled task again, under the same id")
	@ApiResponse(responseCode = "202", description = "Queued again")
	@ApiResponse(responseCode = "409", description = "The task is neither failed nor cancelled")
	@ApiResponse(responseCode = "429", description = "Too many unfinished tasks; see Retry-After")
	ResponseEntity<TaskResponse> retry(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(TaskResponse.of(this.service.retry(user.id(), TaskIds.parse(id))));
	}

	/** What a multipart upload carries, for the OpenAPI document only (the body is read by TaskUploads). */
	@Schema(name = "UploadForm")
	record UploadForm(@Schema(description = "The file (course name of the part)", type = "string", format = "binary") String fileName,
			@Schema(description = "The file, under its common name", type = "string", format = "binary") String file) {
	}

}

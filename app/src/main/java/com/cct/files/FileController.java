package com.cct.files;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.cct.storage.FileStorage;
import com.cct.storage.TaskFiles;
import com.cct.task.FileNames;
import com.cct.task.Task;
import com.cct.task.TaskRepository;
import com.cct.task.TaskStatus;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Downloads by the names a task lists ({@code originalFile}, {@code processedFile}). The name is
 * looked up among the caller's own tasks, never joined onto a path, so nothing outside a task
 * folder can be reached. Range requests come from Spring MVC's resource handling, for a file and for
 * an object in a bucket alike: objects stream through this process rather than by a redirect to a
 * pre-signed URL, so the ownership check, the headers and "no token in a URL" hold for both, and the
 * bucket need not be reachable by clients.
 */
@RestController
@RequestMapping("/api/files")
@Tag(name = "Files")
@SecurityRequirement(name = "bearer")
class FileController {

	private final TaskRepository tasks;

	private final TaskFiles storage;

	FileController(TaskRepository tasks, TaskFiles storage) {
		this.tasks = tasks;
		this.storage = storage;
	}

	@GetMapping("/{name}")
	@Operation(summary = "Download an original or a result")
	@ApiResponse(responseCode = "200", description = "The bytes (206 for a Range request)")
	@ApiResponse(responseCode = "404", description = "Unknown, not yours, or not produced yet")
	ResponseEntity<Resource> download(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String name) {
		if (!FileStorage.isStoredName(name)) {
			throw notFound();
		}
		Task task = this.tasks.findByUserIdAndFileName(user.id(), name).orElseThrow(FileController::notFound);
		boolean result = name.equals(task.processedFile());
		if (result && task.status() != TaskStatus.PROCESSED) {
			throw notFound();
		}
		Optional<Resource> file = result ? this.storage.openResult(task) : this.storage.openOriginal(task);
		String downloadName = result ? FileNames.resultName(task) : task.fileName();
		MediaType type = MediaTypeFactory.getMediaType(downloadName).orElse(MediaType.APPLICATION_OCTET_STREAM);
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(downloadName, StandardCharsets.UTF_8).build().toString())
			.header("X-Content-Type-Options", "nosniff")
			.body(file.orElseThrow(FileController::notFound));
	}

	private static RuntimeException notFound() {
		return Problems.notFound("No such file.");
	}

}

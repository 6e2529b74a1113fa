package com.cct.upload.tus;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * tus 1.0 at {@code /api/uploads}: core (HEAD, PATCH), creation (POST), termination (DELETE) and
 * expiration ({@code Upload-Expires}). Every answer carries {@code Tus-Resumable}; a request of
 * another protocol version is 412. OPTIONS is public (it tells only what the server speaks).
 */
@RestController
@RequestMapping("/api/uploads")
@Tag(name = "Resumable uploads (tus 1.0)")
@SecurityRequirement(name = "bearer")
class TusController {

	static final String VERSION = "1.0.0";

	static final String EXTENSIONS = "creation,termination,expiration";

	static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

	private final ResumableUploads uploads;

	private final long maxSize;

	TusController(ResumableUploads uploads, com.cct.upload.TaskUploads taskUploads) {
		this.uploads = uploads;
		this.maxSize = taskUploads.maxSize();
	}

	@RequestMapping(method = RequestMethod.OPTIONS)
	@Operation(operationId = "uploadOptions", summary = "What this tus server speaks", description = "Tus-Version, Tus-Extension, Tus-Max-Size")
	ResponseEntity<Void> options(HttpServletResponse response) {
		return ResponseEntity.noContent()
			.header("Tus-Resumable", VERSION)
			.header("Tus-Version", VERSION)
			.header("Tus-Extension", EXTENSIONS)
			.header("Tus-Max-Size", Long.toString(this.maxSize))
			.build();
	}

	@PostMapping
	@Operation(operationId = "createUpload", summary = "Start a resumable upload (tus creation)",
			description = "Upload-Length: the file's size; Upload-Metadata: filename, newFormat, optional quality and "
					+ "notify, each value in base64. The id in Location is the id of the task the upload becomes.")
	@Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, description = "1.0.0", schema = @Schema(type = "string"))
	@Parameter(name = "Upload-Length", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@Parameter(name = "Upload-Metadata", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "201", description = "Created; Location, Upload-Expires")
	@ApiResponse(responseCode = "400", description = "Missing or invalid Upload-Length or Upload-Metadata, unknown format")
	@ApiResponse(responseCode = "412", description = "Tus-Resumable is not 1.0.0")
	@ApiResponse(responseCode = "413", description = "Upload-Length over CCT_MAX_UPLOAD_SIZE, or over the storage quota")
	@ApiResponse(responseCode = "429", description = "Too many unfinished tasks or uploads in the last hour")
	ResponseEntity<Void> create(@AuthenticationPrincipal AuthenticatedUser user, HttpServletRequest request,
			HttpServletResponse response) {
		checkVersion(request, response);
		long length = headerNumber(request, "Upload-Length");
		TusUpload upload = this.uploads.create(user.id(), length, request.getHeader("Upload-Metadata"));
		return ResponseEntity.created(URI.create("/api/uploads/" + upload.id()))
			.header("Upload-Expires", HTTP_DATE.format(upload.expiresAt()))
			.header("Upload-Offset", "0")
			.build();
	}

	@RequestMapping(path = "/{id}", method = RequestMethod.HEAD)
	@Operation(operationId = "uploadOffset", summary = "How many bytes of the upload arrived (tus core)")
	ResponseEntity<Void> head(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			HttpServletRequest request, HttpServletResponse response) {
		checkVersion(request, response);
		ResumableUploads.State state = this.uploads.state(user.id(), parse(id));
		ResponseEntity.HeadersBuilder<?> ok = ResponseEntity.ok()
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.header("Upload-Offset", Long.toString(state.offset()))
			.header("Upload-Length", Long.toString(state.length()));
		if (state.metadata() != null) {
			ok.header("Upload-Metadata", state.metadata());
		}
		if (state.expiresAt() != null) {
			ok.header("Upload-Expires", HTTP_DATE.format(state.expiresAt()));
		}
		return ok.build();
	}

	@PatchMapping("/{id}")
	@Operation(operationId = "appendToUpload", summary = "Send the next bytes of the upload (tus core)",
			description = "Content-Type application/offset+octet-stream, Upload-Offset: the offset HEAD answered. "
					+ "The PATCH that brings the last byte creates the task GET /api/tasks/{id} shows.")
	@Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, description = "1.0.0", schema = @Schema(type = "string"))
	@Parameter(name = "Upload-Offset", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "204", description = "Written; Upload-Offset is the new offset")
	@ApiResponse(responseCode = "404", description = "No such upload, not yours, or expired")
	@ApiResponse(responseCode = "409", description = "Upload-Offset is not the upload's offset")
	@ApiResponse(responseCode = "413", description = "More bytes than Upload-Length, or the storage quota is full")
	@ApiResponse(responseCode = "415", description = "Not application/offset+octet-stream, or the content is not what the name claims")
	@ApiResponse(responseCode = "423", description = "Another PATCH of the same upload is in progress")
	ResponseEntity<Void> patch(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		checkVersion(request, response);
		String type = request.getContentType();
		if (type == null || !type.strip().toLowerCase(java.util.Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
			throw Problems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "wrong-content-type", "Wrong Content-Type",
					"A PATCH of a tus upload is sent as " + OFFSET_OCTET_STREAM + ".");
		}
		UUID uploadId = parse(id);
		long offset = headerNumber(request, "Upload-Offset");
		ResumableUploads.Patched patched = this.uploads.patch(user.id(), uploadId, offset,
				request.getContentLengthLong(), request.getInputStream());
		ResponseEntity.HeadersBuilder<?> done = ResponseEntity.noContent()
			.header("Upload-Offset", Long.toString(patched.offset()));
		if (patched.expiresAt() != null) {
			done.header("Upload-Expires", HTTP_DATE.format(patched.expiresAt()));
		}
		if (patched.task() != null) {
			done.header("Upload-Task", "/api/tasks/" + patched.task().id());
		}
		return done.build();
	}

	@DeleteMapping("/{id}")
	@Operation(operationId = "terminateUpload", summary = "Abandon the upload and delete its bytes (tus termination)")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "404", description = "No such upload in progress, or not yours")
	ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			HttpServletRequest request, HttpServletResponse response) {
		checkVersion(request, response);
		this.uploads.terminate(user.id(), parse(id));
		return ResponseEntity.noContent().build();
	}

	@ExceptionHandler(UploadBusyException.class)
	ResponseEntity<org.springframework.http.ProblemDetail> busy(HttpServletResponse response) {
		response.setHeader("Tus-Resumable", VERSION);
		return ResponseEntity.status(HttpStatus.LOCKED)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(Problems.body(HttpStatus.LOCKED, "upload-busy", "Upload busy",
					"Another request is writing to this upload. Retry in a moment, from the offset HEAD answers."));
	}

	private static void checkVersion(HttpServletRequest request, HttpServletResponse response) {
		response.setHeader("Tus-Resumable", VERSION);
		String version = request.getHeader("Tus-Resumable");
		if (!VERSION.equals(version == null ? null : version.strip())) {
			ErrorResponseException problem = Problems.problem(HttpStatus.PRECONDITION_FAILED, "tus-version",
					"Unsupported tus version", "This server speaks tus " + VERSION + ": send Tus-Resumable: " + VERSION + ".");
			problem.getHeaders().set("Tus-Version", VERSION);
			throw problem;
		}
	}

	private static long headerNumber(HttpServletRequest request, String name) {
		String value = request.getHeader(name);
		if (value == null || !value.strip().matches("[0-9]{1,18}")) {
			throw Problems.badRequest("invalid-" + name.toLowerCase(java.util.Locale.ROOT), "Invalid " + name,
					name + " must be a non-negative number of bytes.");
		}
		return Long.parseLong(value.strip());
	}

	private static UUID parse(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw ResumableUploads.notFound();
		}
	}

	static String httpDate(Instant instant) {
		return HTTP_DATE.format(instant);
	}

}

package com.cct.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.cct.storage.StorageUnavailableException;

/**
 * Turns every failure into RFC 9457 problem+json: MVC's own (through the base class), field
 * validation (with an {@code errors} map), oversized uploads, an unreachable database or storage (503, so
 * clients retry) and anything unexpected (500 without internals: the log has the stack trace).
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail body = Problems.body(HttpStatus.BAD_REQUEST, "invalid-fields", "Invalid request",
				"Some fields are invalid.");
		Map<String, List<String>> errors = new TreeMap<>();
		ex.getBindingResult()
			.getFieldErrors()
			.forEach(error -> errors.computeIfAbsent(error.getField(), f -> new ArrayList<>())
				.add(error.getDefaultMessage()));
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach(error -> errors.computeIfAbsent(error.getObjectName(), f -> new ArrayList<>())
				.add(error.getDefaultMessage()));
		body.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(body);
	}

	@Override
	protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail body = Problems.body(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Upload too large",
				"The file is larger than this service accepts.");
		return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
			.header(HttpHeaders.CONNECTION, "close")
			.body(body);
	}

	/**
	 * An upload body that could not be read: the client gave up mid-upload, the body ended before its
	 * closing multipart delimiter, or a part is malformed (headers over 8 KB, say). The client's fault,
	 * so 400 and no stack trace in the log.
	 */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> unreadableUpload(MultipartException ex) {
		log.info("Unreadable upload: {}", NestedExceptionUtils.getMostSpecificCause(ex).toString());
		ProblemDetail body = Problems.body(HttpStatus.BAD_REQUEST, "unreadable-upload", "Unreadable upload",
				"The upload could not be read: it ended early or one of its parts (such as the file name) is malformed.");
		return ResponseEntity.badRequest().header(HttpHeaders.CONNECTION, "close").body(body);
	}

	@ExceptionHandler({ CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
			TransientDataAccessException.class, RecoverableDataAccessException.class, TransactionException.class,
			StorageUnavailableException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		log.warn("Database or storage unavailable: {}", ex.getMessage());
		ProblemDetail body = Problems.body(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
				"The service is briefly unavailable. Please retry in a few seconds.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(body);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		log.error("Unexpected error", ex);
		ProblemDetail body = Problems.body(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
				"Something went wrong on our side.");
		return ResponseEntity.internalServerError().body(body);
	}

}

package com.cct.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The API's errors, each with a stable {@code type} so clients can branch on it without parsing
 * prose. Thrown from controllers; rendered as {@code application/problem+json} by Spring MVC.
 */
public final class Problems {

	private Problems() {
	}

	public static ErrorResponseException notFound(String detail) {
		return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
	}

	public static ErrorResponseException conflict(String slug, String title, String detail) {
		return problem(HttpStatus.CONFLICT, slug, title, detail);
	}

	public static ErrorResponseException badRequest(String slug, String title, String detail) {
		return problem(HttpStatus.BAD_REQUEST, slug, title, detail);
	}

	public static ErrorResponseException unsupportedMedia(String detail) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content-mismatch", "Content is not what it claims", detail);
	}

	public static ErrorResponseException problem(HttpStatus status, String slug, String title, String detail) {
		return new ErrorResponseException(status, body(status, slug, title, detail), null);
	}

	/** The body itself, for handlers that answer without throwing. */
	public static ProblemDetail body(HttpStatus status, String slug, String title, String detail) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		body.setType(type(slug));
		body.setTitle(title);
		return body;
	}

	public static URI type(String slug) {
		return URI.create("urn:cct:problem:" + slug);
	}

}

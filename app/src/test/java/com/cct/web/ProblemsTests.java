package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class ProblemsTests {

	@Test
	void aTypeIsTheSlugUnderTheProjectsUrn() {
		assertThat(Problems.type("too-large")).isEqualTo(URI.create("urn:cct:problem:too-large"));
	}

	@Test
	void aBodyCarriesStatusTypeTitleAndDetail() {
		ProblemDetail body = Problems.body(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
				"Retry soon.");

		assertThat(body.getStatus()).isEqualTo(503);
		assertThat(body.getType()).hasToString("urn:cct:problem:unavailable");
		assertThat(body.getTitle()).isEqualTo("Service unavailable");
		assertThat(body.getDetail()).isEqualTo("Retry soon.");
	}

	@Test
	void aProblemAnswersWithItsStatusAndBody() {
		ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
				"Too many login attempts", "Wait.");

		assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(problem.getBody().getStatus()).isEqualTo(429);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:too-many-logins");
		assertThat(problem.getBody().getTitle()).isEqualTo("Too many login attempts");
		assertThat(problem.getBody().getDetail()).isEqualTo("Wait.");
	}

	@Test
	void notFoundIsOneTypeWhateverTheDetail() {
		ErrorResponseException problem = Problems.notFound("No such task.");

		assertThat(problem.getStatusCode().value()).isEqualTo(404);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:not-found");
		assertThat(problem.getBody().getTitle()).isEqualTo("Not found");
		assertThat(problem.getBody().getDetail()).isEqualTo("No such task.");
	}

	@Test
	void conflictAndBadRequestKeepTheirOwnSlugAndTitle() {
		ErrorResponseException conflict = Problems.conflict("task-processing", "Task is processing", "Cancel first.");
		ErrorResponseException bad = Problems.badRequest("invalid-max", "Invalid max", "1 to 1000.");

		assertThat(conflict.getStatusCode().value()).isEqualTo(409);
		assertThat(conflict.getBody().getType()).hasToString("urn:cct:problem:task-processing");
		assertThat(conflict.getBody().getTitle()).isEqualTo("Task is processing");
		assertThat(bad.getStatusCode().value()).isEqualTo(400);
		assertThat(bad.getBody().getType()).hasToString("urn:cct:problem:invalid-max");
		assertThat(bad.getBody().getTitle()).isEqualTo("Invalid max");
	}

	@Test
	void unsupportedMediaIsAContentMismatch() {
		ErrorResponseException problem = Problems.unsupportedMedia("It is a PNG.");

		assertThat(problem.getStatusCode().value()).isEqualTo(415);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:content-mismatch");
		assertThat(problem.getBody().getTitle()).isEqualTo("Content is not what it claims");
		assertThat(problem.getBody().getDetail()).isEqualTo("It is a PNG.");
	}

}

package com.cct.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

import com.cct.auth.WebSliceSecurity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@WebMvcTest(controllers = ProblemHandlerTests.Failing.class)
@Import({ ProblemHandlerTests.Failing.class, WebSliceSecurity.class })
class ProblemHandlerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void invalidFieldsAreListedByFieldWithEveryMessage() throws Exception {
		problem(post("/test/fields").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"\", \"count\": 0, \"from\": 5, \"to\": 1}"), 400, "invalid-fields")
			.andExpect(jsonPath("$.title").value("Invalid request"))
			.andExpect(jsonPath("$.errors.name[0]").isNotEmpty())
			.andExpect(jsonPath("$.errors.name.length()").value(2))
			.andExpect(jsonPath("$.errors.count[0]").value("must be greater than or equal to 1"))
			.andExpect(jsonPath("$.errors.rangeInOrder[0]").value("from comes before to"));
	}

	@Test
	void validFieldsReachTheController() throws Exception {
		this.mvc.perform(post("/test/fields").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"abc\", \"count\": 1, \"from\": 1, \"to\": 2}"))
			.andExpect(status().isOk())
			.andExpect(content().string("abc"));
	}

	@Test
	void anUnreadableJsonBodyIsABadRequestProblem() throws Exception {
		this.mvc.perform(post("/test/fields").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(400));
	}

	@Test
	void anUnsupportedMethodIsAMethodNotAllowedProblem() throws Exception {
		this.mvc.perform(delete("/test/fields"))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string(HttpHeaders.ALLOW, "POST"));
	}

	@Test
	void anOversizedUploadIsTooLargeAndClosesTheConnection() throws Exception {
		problem(get("/test/too-large"), 413, "too-large").andExpect(header().string(HttpHeaders.CONNECTION, "close"))
			.andExpect(jsonPath("$.title").value("Upload too large"));
	}

	@Test
	void anUnreadableMultipartBodyIsTheClientsFault() throws Exception {
		problem(get("/test/unreadable"), 400, "unreadable-upload")
			.andExpect(header().string(HttpHeaders.CONNECTION, "close"));
	}

	@Test
	void anUnreachableDatabaseIsAServiceUnavailableToRetryInFiveSeconds() throws Exception {
		problem(get("/test/database"), 503, "unavailable").andExpect(header().string(HttpHeaders.RETRY_AFTER, "5"))
			.andExpect(content().string(not(containsString("jdbc:postgresql"))));
	}

	@Test
	void aTransactionThatCannotStartIsUnavailableToo() throws Exception {
		problem(get("/test/transaction"), 503, "unavailable").andExpect(header().string(HttpHeaders.RETRY_AFTER, "5"));
	}

	@Test
	void anythingUnexpectedIsAnInternalErrorThatKeepsItsInternals() throws Exception {
		problem(get("/test/unexpected"), 500, "internal").andExpect(jsonPath("$.title").value("Internal error"))
			.andExpect(jsonPath("$.detail").value("Something went wrong on our side."))
			.andExpect(content().string(not(containsString("secret"))))
			.andExpect(content().string(not(containsString("IllegalStateException"))));
	}

	@Test
	void aThrownProblemKeepsItsStatusTypeAndHeaders() throws Exception {
		problem(get("/test/problem"), 429, "too-many-logins").andExpect(header().string(HttpHeaders.RETRY_AFTER, "7"))
			.andExpect(jsonPath("$.detail").value("Later."));
	}

	private ResultActions problem(RequestBuilder request, int status, String slug)
			throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("urn:cct:problem:" + slug))
			.andExpect(jsonPath("$.status").value(status));
	}

	record Fields(@NotBlank @Size(min = 2) String name, @Min(1) int count, int from, int to) {

		@AssertTrue(message = "from comes before to")
		boolean isRangeInOrder() {
			return this.from <= this.to;
		}

	}

	@RestController
	static class Failing {

		@PostMapping("/test/fields")
		String fields(@Valid @RequestBody Fields fields) {
			return fields.name();
		}

		@GetMapping("/test/too-large")
		void tooLarge() {
			throw new MaxUploadSizeExceededException(10);
		}

		@GetMapping("/test/unreadable")
		void unreadable() {
			throw new MultipartException("Stream ended unexpectedly");
		}

		@GetMapping("/test/database")
		void database() {
			throw new CannotGetJdbcConnectionException("jdbc:postgresql://db/cct refused",
					new SQLException("Connection refused"));
		}

		@GetMapping("/test/transaction")
		void transaction() {
			throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction");
		}

		@GetMapping("/test/unexpected")
		void unexpected() {
			throw new IllegalStateException("secret internals at /var/lib/cct");
		}

		@GetMapping("/test/problem")
		void problem() {
			ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
					"Too many login attempts", "Later.");
			problem.getHeaders().set(HttpHeaders.RETRY_AFTER, "7");
			throw problem;
		}

	}

}

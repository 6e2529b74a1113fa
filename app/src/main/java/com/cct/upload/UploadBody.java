package com.cct.upload;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.http.MediaType;
import org.springframework.web.multipart.MultipartException;

import jakarta.servlet.http.HttpServletRequest;

/**
 * One upload's body as it arrives, read once from the connection: the fields sent before the file,
 * the file's bytes, then whatever follows. A multipart body ({@link MultipartBody}) or the file
 * itself ({@link RawBody}, fields in the query string). Nobody calls {@code getParameter()}: for a
 * form-encoded body (curl's default type) Tomcat would read the whole file to parse it.
 */
sealed interface UploadBody permits MultipartBody, RawBody {

	/**
	 * Reads up to the file's first byte: the fields known by then. Its {@code fileName} is null when
	 * the body holds no file.
	 */
	UploadRequest openFile() throws IOException;

	/** The file's bytes, from its first to its last; after {@link #openFile()}. */
	InputStream file();

	/** Reads the rest of the body; every field, also those sent after the file. */
	UploadRequest finish() throws IOException;

	static UploadBody of(HttpServletRequest request, int maxPartHeaderBytes) throws IOException {
		UploadRequest query = query(request.getQueryString());
		String type = request.getContentType();
		if (type != null && type.toLowerCase(Locale.ROOT).startsWith(MediaType.MULTIPART_FORM_DATA_VALUE)) {
			String boundary;
			try {
				boundary = MediaType.parseMediaType(type).getParameter("boundary");
			}
			catch (IllegalArgumentException ex) {
				throw new MultipartException("The multipart Content-Type is malformed.", ex);
			}
			if (boundary == null) {
				throw new MultipartException("The multipart Content-Type names no boundary.");
			}
			// the file part names the file; a query's fileName is for raw bodies
			return new MultipartBody(new MultipartReader(request.getInputStream(), unquoted(boundary),
					maxPartHeaderBytes), query.withFileName(null));
		}
		return new RawBody(request.getInputStream(), query);
	}

	private static String unquoted(String value) {
		return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
				? value.substring(1, value.length() - 1) : value;
	}

	/** The upload fields of a query string (decoded as Tomcat decodes them: UTF-8, + for space). */
	static UploadRequest query(String query) {
		UploadRequest fields = UploadRequest.NONE;
		if (query == null) {
			return fields;
		}
		String fileName = null;
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String name = decode(eq < 0 ? pair : pair.substring(0, eq));
			String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
			if (name.equals("fileName") && fileName == null) {
				fileName = value;
			}
			fields = fields.withField(name, value);
		}
		return fields.withFileName(fileName);
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw com.cct.web.Problems.badRequest("invalid-query", "Invalid query string",
					"The query string is not validly percent-encoded.");
		}
	}

}

package com.cct.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.task.Task;
import com.cct.task.TaskStatus;

class TaskMailTests {

	static final URI PUBLIC = URI.create("https://convert.example.org");

	static Task ended(String fileName, Format source, Format target, TaskStatus status, String error) {
		Instant now = Instant.now();
		return new Task(UUID.randomUUID(), UUID.randomUUID(), fileName, source, target, null, status,
				status == TaskStatus.PROCESSED ? 100 : 40, 10, status == TaskStatus.PROCESSED ? 5L : null,
				FileStorage.newStoredName(source == null ? "pdf" : source.extension()),
				FileStorage.newStoredName(target.extension()), error, true, null, now, now, now, 0);
	}

	@Nested
	class Processed {

		final Task task = ended("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED, null);

		final TaskMail mail = TaskMail.of(this.task, "alice", PUBLIC);

		@Test
		void subjectSaysTheFileIsReady() {
			assertThat(this.mail.subject()).isEqualTo("Your file song.mp3 is ready as ogg");
		}

		@Test
		void textGreetsTheOwnerAndNamesTheConversionAndLinks() {
			assertThat(this.mail.text()).startsWith("Hello alice,")
				.contains("Your file \"song.mp3\" (mp3 to ogg) is ready to download.")
				.contains("Task: " + this.task.id())
				.contains("Open it on the web page: https://convert.example.org/#task-" + this.task.id())
				.contains("Or through the API: https://convert.example.org/api/tasks/" + this.task.id());
		}

		@Test
		void htmlSaysTheSameWithLinks() {
			assertThat(this.mail.html()).startsWith("<!doctype html>")
				.contains("<p>Hello alice,</p>")
				.contains("<strong>song.mp3</strong> (mp3 to ogg) is ready to download.")
				.contains("<a href=\"https://convert.example.org/#task-" + this.task.id() + "\">")
				.contains("<a href=\"https://convert.example.org/api/tasks/" + this.task.id() + "\">");
		}

		@Test
		void namesTheStoredExtensionOfAFileOfNoKnownFormat() {
			Task packed = ended("report.pdf", null, Format.ZIP, TaskStatus.PROCESSED, null);
			TaskMail mail = TaskMail.of(packed, "alice", PUBLIC);
			assertThat(mail.text()).contains("(pdf to zip)");
			assertThat(mail.subject()).isEqualTo("Your file report.pdf is ready as zip");
		}

	}

	@Nested
	class Failed {

		final Task task = ended("clip.mp4", Format.MP4, Format.WEBM, TaskStatus.FAILED, "The file is damaged.");

		final TaskMail mail = TaskMail.of(this.task, "bob", PUBLIC);

		@Test
		void subjectSaysTheConversionFailed() {
			assertThat(this.mail.subject()).isEqualTo("Your conversion of clip.mp4 failed");
		}

		@Test
		void textAndHtmlGiveTheReason() {
			assertThat(this.mail.text()).contains("(mp4 to webm) could not be converted: The file is damaged.")
				.doesNotContain("ready to download");
			assertThat(this.mail.html()).contains("could not be converted: The file is damaged.");
		}

	}

	@Nested
	class HostileText {

		@Test
		void htmlEscapesTheFileNameTheUserAndTheReason() {
			Task task = ended("<script>alert('x')</script>.mp3", Format.MP3, Format.OGG, TaskStatus.FAILED,
					"bad <b>input</b> & more");
			TaskMail mail = TaskMail.of(task, "<img src=x onerror=alert(1)>", PUBLIC);

			assertThat(mail.html()).doesNotContain("<script>", "<img", "<b>")
				.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;.mp3")
				.contains("&lt;img src=x onerror=alert(1)&gt;")
				.contains("bad &lt;b&gt;input&lt;/b&gt; &amp; more");
			assertThat(mail.text()).contains("<script>alert('x')</script>.mp3");
		}

		@ParameterizedTest
		@ValueSource(strings = { "a\r\nBcc: victim@example.org\r\n.mp3", "a\nb.mp3", "a\rb.mp3", "a\tb.mp3" })
		void subjectStaysOnOneLine(String fileName) {
			for (TaskStatus status : new TaskStatus[] { TaskStatus.PROCESSED, TaskStatus.FAILED }) {
				TaskMail mail = TaskMail.of(ended(fileName, Format.MP3, Format.OGG, status, "x"), "alice", PUBLIC);
				assertThat(mail.subject()).doesNotContain("\r", "\n", "\t").contains("a ");
			}
		}

	}

	@Nested
	class Links {

		@ParameterizedTest
		@ValueSource(strings = { "https://convert.example.org", "https://convert.example.org/",
				"https://convert.example.org//" })
		void startWithThePublicUrlWithoutADoubleSlash(String publicUrl) {
			Task task = ended("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED, null);
			TaskMail mail = TaskMail.of(task, "alice", URI.create(publicUrl));
			assertThat(mail.text()).contains("https://convert.example.org/api/tasks/" + task.id())
				.contains("https://convert.example.org/#task-" + task.id());
			assertThat(mail.text().replace("https://", "")).doesNotContain("//");
			assertThat(mail.html().replace("https://", "")).doesNotContain("//");
		}

		@Test
		void keepAPathUnderWhichTheServiceRuns() {
			Task task = ended("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED, null);
			TaskMail mail = TaskMail.of(task, "alice", URI.create("https://example.org/cct/"));
			assertThat(mail.text()).contains("https://example.org/cct/api/tasks/" + task.id());
		}

		@Test
		void neverShowStoredFileNames() {
			Task task = ended("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED, null);
			TaskMail mail = TaskMail.of(task, "alice", PUBLIC);
			assertThat(mail.text()).doesNotContain(task.originalFile(), task.processedFile(), task.userId().toString());
			assertThat(mail.html()).doesNotContain(task.originalFile(), task.processedFile(), task.userId().toString());
		}

	}

}

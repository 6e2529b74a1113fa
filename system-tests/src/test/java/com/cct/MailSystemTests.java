package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Jobs;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** Completion mails through a real SMTP server (GreenMail), sent by their own JobRunr jobs. */
class MailSystemTests extends OnSharedStack {

	@Test
	void mailsTheOwnerOnceWhenTheFileIsReady() throws Exception {
		Api.User user = api.newUser();
		String id = api.upload(user.token(), Media.audio(files, "Song of Ünïcode.wav", 1), "mp3").json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60)).get("status").asText()).isEqualTo("processed");

		await("mail").atMost(Duration.ofSeconds(30)).until(() -> mailsTo(user.email()).size() == 1);
		// and no second one: one ending, one mail
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> mailsTo(user.email()).size() == 1);
		MimeMessage mail = mailsTo(user.email()).get(0);
		assertThat(mail.getSubject()).contains("Song of Ünïcode.wav").contains("mp3");
		assertThat(mail.getContentType()).startsWith("multipart/");
		String text = partsOf(mail, "text/plain");
		String html = partsOf(mail, "text/html");
		assertThat(text).contains(id).contains("Song of Ünïcode.wav").contains("wav to mp3").contains("ready");
		assertThat(html).contains(id).contains("<strong>Song of Ünïcode.wav</strong>");
		assertThat(text + html).doesNotContain(stack.storage.toString()).doesNotContain(user.token());
	}

	@Test
	void mailsTheReasonWhenTheConversionFails() throws Exception {
		Api.User user = api.newUser();
		byte[] wav = java.nio.file.Files.readAllBytes(Media.audio(files, "whole.wav", 1));
		Path broken = Media.write(files.resolve("broken.wav"), Arrays.copyOf(wav, 40));
		String id = api.upload(user.token(), broken, "ogg").json().get("id").asText();
		JsonNode failed = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(failed.get("status").asText()).isEqualTo("failed");

		await("mail").atMost(Duration.ofSeconds(30)).until(() -> mailsTo(user.email()).size() == 1);
		MimeMessage mail = mailsTo(user.email()).get(0);
		assertThat(mail.getSubject()).contains("failed");
		assertThat(partsOf(mail, "text/plain")).contains(failed.get("error").asText()).contains(id);
	}

	@Test
	void sendsNothingWhenTheUploadSaysNotifyFalse() throws Exception {
		Api.User user = api.newUser();
		String id = api.upload(user.token(), "fileName", Media.audio(files, "quiet.wav", 1), "quiet.wav",
				Api.fields("newFormat", "mp3", "notify", "false"), java.util.Map.of()).json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60)).get("status").asText()).isEqualTo("processed");
		await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> mailsTo(user.email()).isEmpty());
	}

	@Test
	void anSmtpOutageNeverTouchesTheConversionAndTheMailArrivesLater() throws Exception {
		// it stops an SMTP server: its own, on a stack of its own (database, web, worker, mail), so the
		// worker that sends the mail is surely the one pointed at the dead server
		TestStack own = TestStack.isolated("mailoutage");
		try {
			Api ownApi = own.api();
			Api.User user = ownApi.newUser();
			own.stopMail();
			try {
				String id = ownApi.upload(user.token(), Media.audio(files, "outage.wav", 1), "flac").json().get("id").asText();
				JsonNode done = Tasks.awaitEnd(ownApi, user.token(), id, Duration.ofSeconds(60));
				assertThat(done.get("status").asText()).isEqualTo("processed");
				await("the notification job failed against the dead server").atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> Jobs.notificationFailures(own, id) >= 1);
			}
			finally {
				own.startMail();
			}
			await("mail after the outage").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
				.until(() -> mailsTo(own, user.email()).size() == 1);
			assertThat(ownApi.get("/api/tasks", user.token()).json().get(0).get("status").asText()).isEqualTo("processed");
		}
		finally {
			own.stop();
		}
	}

	/** The decoded text of every part of the given type, however deeply the multiparts nest. */
	static String partsOf(jakarta.mail.Part part, String type) throws Exception {
		if (part.isMimeType(type)) {
			return part.getContent().toString();
		}
		StringBuilder text = new StringBuilder();
		if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				text.append(partsOf(multipart.getBodyPart(i), type));
			}
		}
		return text.toString();
	}

	static List<MimeMessage> mailsTo(String address) {
		return mailsTo(stack, address);
	}

	static List<MimeMessage> mailsTo(TestStack on, String address) {
		return Arrays.stream(on.mail().getReceivedMessages()).filter(message -> {
			try {
				return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
					.anyMatch(to -> to.toString().equalsIgnoreCase(address));
			}
			catch (jakarta.mail.MessagingException ex) {
				return false;
			}
		}).toList();
	}

}

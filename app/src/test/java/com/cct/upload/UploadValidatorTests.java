package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

import com.cct.format.Format;
import com.cct.format.Quality;

class UploadValidatorTests {

	private final UploadValidator validator = new UploadValidator(new UploadSettings(DataSize.ofBytes(100)));

	@Nested
	class Batches {

		@Test
		void aCommaListIsOneUploadPerTargetInItsOrderWithTheSameFields() {
			List<ValidatedUpload> uploads = validator.validateAll(request("song.wav", "mp3, ogg ,flac", "low"));
			assertThat(uploads).extracting(ValidatedUpload::target).containsExactly(Format.MP3, Format.OGG, Format.FLAC);
			assertThat(uploads).extracting(ValidatedUpload::displayName).containsOnly("song.wav");
			assertThat(validator.validateAll(request("song.wav", "mp3", null))).hasSize(1);
		}

		@Test
		void repeatedFieldsAddUpToTheSameList() {
			UploadRequest fields = UploadRequest.NONE.withFileName("song.wav")
				.withField("newFormat", "mp3")
				.withField("quality", "high")
				.withField("newFormat", "ogg")
				.withField("quality", "low");
			assertThat(fields.newFormat()).isEqualTo("mp3,ogg");
			assertThat(fields.quality()).as("other fields: the first wins").isEqualTo("high");
		}

		@Test
		void oneBadTargetRefusesTheWholeBatch() {
			assertProblem(() -> validator.validateAll(request("song.wav", "mp3,png", null)), 400, "unsupported-conversion");
			assertProblem(() -> validator.validateAll(request("song.wav", "mp3,nope", null)), 400, "unknown-format");
			assertProblem(() -> validator.validateAll(request("song.wav", "mp3,", null)), 400, "missing-format");
			assertProblem(() -> validator.validateAll(request("song.wav", "mp3,zip", "low")), 400,
					"quality-not-applicable");
		}

		@Test
		void aTargetNamedTwiceEvenByAnotherNameIsRefused() {
			assertProblem(() -> validator.validateAll(request("song.wav", "mp3,MP3", null)), 400, "duplicate-target");
			assertProblem(() -> validator.validateAll(request("song.wav", "ogg,oga", null)), 400, "duplicate-target");
		}

		@Test
		void tenTargetsAtMost() {
			String ten = "mp3,ogg,flac,opus,aac,m4a,aiff,wma,ac3,zip";
			assertThat(validator.validateAll(request("song.wav", ten, null))).hasSize(10);
			assertProblem(() -> validator.validateAll(request("song.wav", ten + ",tar", null)), 400, "too-many-targets");
		}

	}

	@Nested
	class Fields {

		@Test
		void aRequestWithoutAFileIsMissingFile() {
			assertProblem(() -> validator.validate(new UploadRequest(null, "ogg", null, null)), 400,
					"missing-file");
		}

		@Test
		void aMissingOrBlankTargetIsMissingFormat() {
			assertProblem(() -> validator.validate(request("song.mp3", null, null)), 400, "missing-format");
			assertProblem(() -> validator.validate(request("song.mp3", "  ", null)), 400, "missing-format");
		}

		@Test
		void anUnknownTargetIsUnknownFormatWithTheValueAbbreviatedAndControlCharactersStripped() {
			ErrorResponseException problem = assertProblem(
					() -> validator.validate(request("song.mp3", "x\u0007\n" + "y".repeat(40), null)), 400,
					"unknown-format");

			assertThat(problem.getBody().getDetail()).contains("'x" + "y".repeat(19) + "...'")
				.doesNotContain("\u0007")
				.doesNotContain("\n")
				.doesNotContain("y".repeat(20));
		}

		@Test
		void theTargetIsMatchedIgnoringCaseSpacesALeadingDotAndAliases() {
			assertThat(validator.validate(request("song.mp3", " .OGG ", null)).target()).isEqualTo(Format.OGG);
			assertThat(validator.validate(request("song.mp3", "acc", null)).target()).isEqualTo(Format.AAC);
		}

		@Test
		void anUnknownQualityIsUnknownQuality() {
			assertProblem(() -> validator.validate(request("song.mp3", "ogg", "best")), 400, "unknown-quality");
		}

		@Test
		void aQualityOnAnArchiveTargetDoesNotApply() {
			assertProblem(() -> validator.validate(request("song.mp3", "zip", "low")), 400,
					"quality-not-applicable");
		}

		@Test
		void aKnownQualityOnAMediaTargetIsKeptAndABlankOneIsNone() {
			assertThat(validator.validate(request("song.mp3", "ogg", "LOW")).quality()).isEqualTo(Quality.LOW);
			assertThat(validator.validate(request("song.mp3", "ogg", " ")).quality()).isNull();
			assertThat(validator.validate(request("song.mp3", "zip", "")).quality()).isNull();
		}

		@Test
		void aNotifyChoiceIsABooleanAsSpringReadsOne() {
			assertThat(validator.validate(new UploadRequest("song.mp3", "ogg", null, "off")).notifyOwner()).isFalse();
			assertThat(validator.validate(new UploadRequest("song.mp3", "ogg", null, "TRUE")).notifyOwner()).isTrue();
			assertThat(validator.validate(new UploadRequest("song.mp3", "ogg", null, "")).notifyOwner()).isNull();
			assertProblem(() -> validator.validate(new UploadRequest("song.mp3", "ogg", null, "maybe")), 400,
					"invalid-notify");
		}

		@Test
		void aPairImpossibleByNameIsAnUnsupportedConversion() {
			ErrorResponseException problem = assertProblem(() -> validator.validate(request("song.mp3", "png", null)),
					400, "unsupported-conversion");

			assertThat(problem.getBody().getDetail()).contains("mp3").contains("png");
		}

		@Test
		void anyFileCanBePackedIntoAnArchive() {
			ValidatedUpload upload = validator.validate(request("song.mp3", "zip", null));

			assertThat(upload.target()).isEqualTo(Format.ZIP);
			assertThat(upload.claimed()).contains(Format.MP3);
		}

		@Test
		void theDisplayNameIsSanitisedAndTheNotifyChoiceKept() {
			UploadRequest request = new UploadRequest("../../etc/song\u0000.mp3", "ogg", null, "false");

			ValidatedUpload upload = validator.validate(request);

			assertThat(upload.displayName()).isEqualTo("song.mp3");
			assertThat(upload.notifyOwner()).isFalse();
		}

	}

	@Nested
	class IdempotencyKeys {

		@Test
		void aMissingOrBlankKeyIsNone() {
			assertThat(validator.idempotencyKey(null)).isNull();
			assertThat(validator.idempotencyKey("   ")).isNull();
		}

		@Test
		void aKeyIsStrippedAndMayBe200VisibleAsciiCharacters() {
			String longest = "k".repeat(199) + "~";

			assertThat(validator.idempotencyKey("  abc-123  ")).isEqualTo("abc-123");
			assertThat(validator.idempotencyKey(longest)).isEqualTo(longest);
		}

		@Test
		void aKeyOf201CharactersIsInvalid() {
			assertProblem(() -> validator.idempotencyKey("k".repeat(201)), 400, "invalid-idempotency-key");
		}

		@Test
		void aKeyWithNonAsciiOrInnerSpacesIsInvalid() {
			assertProblem(() -> validator.idempotencyKey("clé"), 400, "invalid-idempotency-key");
			assertProblem(() -> validator.idempotencyKey("a b"), 400, "invalid-idempotency-key");
			assertProblem(() -> validator.idempotencyKey("a\tb"), 400, "invalid-idempotency-key");
		}


	}

	@Nested
	class StoredExtension {

		@Test
		void isTheExtensionOfTheClaimedFormatEvenForAnAlias() {
			assertThat(validator.validate(request("clip.M4V", "webm", null)).storedExtension()).isEqualTo("mp4");
			assertThat(validator.validate(request("backup.tgz", "zip", null)).storedExtension()).isEqualTo("tar.gz");
		}

		@Test
		void isTheLowerCaseRawExtensionForAFileOfNoKnownFormat() {
			ValidatedUpload upload = validator.validate(request("Report.PDF", "zip", null));

			assertThat(upload.claimed()).isEmpty();
			assertThat(upload.storedExtension()).isEqualTo("pdf");
		}

		@Test
		void isBinWithoutAUsableExtension() {
			assertThat(validator.validate(request("README", "zip", null)).storedExtension()).isEqualTo("bin");
			assertThat(validator.validate(request("data.verylongext", "zip", null)).storedExtension())
				.isEqualTo("bin");
			assertThat(validator.validate(request("odd.e$x", "zip", null)).storedExtension()).isEqualTo("bin");
		}

	}

	@Nested
	class SourceOf {

		@Test
		void aRepackedArchiveWhoseContentIsThatArchiveKeepsItsFormat() {
			ValidatedUpload upload = validator.validate(request("photos.zip", "7z", null));

			assertThat(validator.sourceOf(upload, detected("application/zip"))).contains(Format.ZIP);
		}

		@Test
		void aRepackedArchiveWhoseContentIsSomethingElseIsAContentMismatch() {
			ValidatedUpload upload = validator.validate(request("photos.zip", "tar.gz", null));

			assertProblem(() -> validator.sourceOf(upload, detected("text/plain")), 415, "content-mismatch");
			assertProblem(() -> validator.sourceOf(upload, detected("application/x-7z-compressed")), 415,
					"content-mismatch");
		}

		@Test
		void anyOtherFilePackedIntoAnArchiveIsTakenAsItIs() {
			ValidatedUpload named = validator.validate(request("song.mp3", "zip", null));
			ValidatedUpload unknown = validator.validate(request("report.pdf", "zip", null));

			assertThat(validator.sourceOf(named, detected("text/plain"))).contains(Format.MP3);
			assertThat(validator.sourceOf(unknown, detected("application/pdf"))).isEmpty();
		}

		@Test
		void mediaWhoseContentIsNoMediaIsAContentMismatch() {
			ValidatedUpload upload = validator.validate(request("song.mp3", "ogg", null));

			assertProblem(() -> validator.sourceOf(upload, detected("text/plain")), 415, "content-mismatch");
			assertProblem(() -> validator.sourceOf(upload, detected("application/zip")), 415, "content-mismatch");
		}

		/** Tika cannot tell every real file (raw AMR-WB, odd MPEG-TS): the worker's probe decides those. */
		@Test
		void anOctetStreamUnderAMediaNameIsLeftToTheWorker() {
			ValidatedUpload named = validator.validate(request("voice.amr", "mp3", null));
			ValidatedUpload archive = validator.validate(request("photos.zip", "tar.gz", null));
			ValidatedUpload nameless = validator.validate(request("recording", "mp3", null));

			assertThat(validator.sourceOf(named, detected("application/octet-stream"))).contains(Format.AMR);
			assertProblem(() -> validator.sourceOf(archive, detected("application/octet-stream")), 415,
					"content-mismatch");
			assertProblem(() -> validator.sourceOf(nameless, detected("application/octet-stream")), 415,
					"content-mismatch");
		}

		/** A JPEG saved as .heic (or a HEIC as .jpg) must reach the decoder its bytes need. */
		@Test
		void aPictureIsTheFormatItsBytesSay() {
			ValidatedUpload jpegAsHeic = validator.validate(request("IMG_0001.heic", "png", null));
			ValidatedUpload heicAsJpeg = validator.validate(request("IMG_0002.jpg", "webp", null));

			assertThat(validator.sourceOf(jpegAsHeic, detected("image/jpeg"))).contains(Format.JPG);
			assertThat(validator.sourceOf(heicAsJpeg, detected("image/heic"))).contains(Format.HEIC);
		}

		@Test
		void audioAndVideoAreOneFamilySoAnMp4HoldingAudioPasses() {
			ValidatedUpload mp4 = validator.validate(request("talk.mp4", "mp3", null));
			ValidatedUpload mp3 = validator.validate(request("song.mp3", "wav", null));

			assertThat(validator.sourceOf(mp4, detected("audio/mp4"))).contains(Format.MP4);
			assertThat(validator.sourceOf(mp3, detected("audio/mpeg"))).contains(Format.MP3);
		}

		@Test
		void anImageNamedAsAudioIsAContentMismatch() {
			ValidatedUpload upload = validator.validate(request("song.mp3", "ogg", null));

			ErrorResponseException problem = assertProblem(() -> validator.sourceOf(upload, detected("image/png")),
					415, "content-mismatch");
			assertThat(problem.getBody().getDetail()).contains("mp3").contains("image/png");
		}

		@Test
		void aFileWithoutAKnownNameTakesTheDetectedFormat() {
			ValidatedUpload upload = validator.validate(request("recording", "ogg", null));

			assertThat(validator.sourceOf(upload, detected("audio/mpeg"))).contains(Format.MP3);
		}

		@Test
		void aDetectedSourceThatCannotBecomeTheTargetIsAnUnsupportedConversion() {
			ValidatedUpload upload = validator.validate(request("picture", "mp3", null));

			ErrorResponseException problem = assertProblem(() -> validator.sourceOf(upload, detected("image/png")),
					400, "unsupported-conversion");
			assertThat(problem.getBody().getDetail()).contains("png").contains("mp3");
		}

	}

	private static UploadRequest request(String name, String newFormat, String quality) {
		return new UploadRequest(name, newFormat, quality, null);
	}

	private static ContentInspector.Detected detected(String mimeType) {
		return new ContentInspector.Detected(mimeType, Format.ofMimeType(mimeType));
	}

	private static ErrorResponseException assertProblem(ThrowingCallable call, int status, String slug) {
		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class, call);
		assertThat(problem).as("a %s problem", slug).isNotNull();
		assertThat(problem.getStatusCode().value()).isEqualTo(status);
		assertThat(problem.getBody().getStatus()).isEqualTo(status);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:" + slug);
		return problem;
	}

}

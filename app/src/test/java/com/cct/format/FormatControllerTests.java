package com.cct.format;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.util.unit.DataSize;

import com.cct.auth.WebSliceSecurity;
import com.cct.upload.UploadSettings;

@WebMvcTest(FormatController.class)
@Import({ WebSliceSecurity.class, FormatControllerTests.Limit.class })
class FormatControllerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void isPublicAndTellsTheUploadLimit() throws Exception {
		this.mvc.perform(get("/api/formats"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.maxUploadBytes").value(64L * 1024 * 1024));
	}

	@Test
	void onlyReadingIsPublic() throws Exception {
		this.mvc.perform(post("/api/formats")).andExpect(status().isUnauthorized());
	}

	@Test
	void audioConvertsToAudioAndArchivesButNotToImagesOrVideo() throws Exception {
		this.mvc.perform(get("/api/formats"))
			.andExpect(jsonPath("$.conversions.mp3", hasItems("ogg", "wav", "mp3", "zip")))
			.andExpect(jsonPath("$.conversions.mp3", not(hasItem("png"))))
			.andExpect(jsonPath("$.conversions.mp3", not(hasItem("mp4"))));
	}

	@Test
	void videoConvertsToVideoAndAudioAndImagesOnlyToImages() throws Exception {
		this.mvc.perform(get("/api/formats"))
			.andExpect(jsonPath("$.conversions.mp4", hasItems("webm", "mp3", "tar.gz")))
			.andExpect(jsonPath("$.conversions.png", hasItems("jpg", "webp", "zip")))
			.andExpect(jsonPath("$.conversions.png", not(hasItem("mp4"))));
	}

	@Test
	void anArchiveOnlyBecomesAnotherArchive() throws Exception {
		this.mvc.perform(get("/api/formats"))
			.andExpect(jsonPath("$.conversions.zip", contains(archives())));
	}

	@Test
	void anyFileCanBecomeEveryArchiveAndNothingElse() throws Exception {
		this.mvc.perform(get("/api/formats")).andExpect(jsonPath("$.anyFile", contains(archives())));
	}

	@Test
	void listsEveryFormatByKindAndTheQualities() throws Exception {
		this.mvc.perform(get("/api/formats"))
			.andExpect(jsonPath("$.kinds.video", hasItems("mp4", "webm", "mkv")))
			.andExpect(jsonPath("$.kinds.audio", hasItems("mp3", "aac", "ogg")))
			.andExpect(jsonPath("$.kinds.image", hasItems("png", "jpg")))
			.andExpect(jsonPath("$.kinds.archive", contains(archives())))
			.andExpect(jsonPath("$.kinds.video", everyItem(not(in(List.of("mp3", "png", "zip"))))))
			.andExpect(jsonPath("$.qualities", contains("high", "medium", "low")));
	}

	@Test
	void aliasesPointAtTheFormatTheyMean() throws Exception {
		this.mvc.perform(get("/api/formats"))
			.andExpect(jsonPath("$.aliases.acc").value("aac"))
			.andExpect(jsonPath("$.aliases.jpeg").value("jpg"))
			.andExpect(jsonPath("$.aliases.tgz").value("tar.gz"))
			.andExpect(jsonPath("$.aliases.mp3").doesNotExist());
	}

	private static String[] archives() {
		return new String[] { "zip", "7z", "tar.gz", "tar.bz2", "tar.xz" };
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Limit {

		@Bean
		UploadSettings uploadSettings() {
			return new UploadSettings(DataSize.ofMegabytes(64));
		}

	}

}

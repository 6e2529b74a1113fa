package com.cct.format;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.upload.UploadSettings;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "Formats")
class FormatController {

	private final FormatsResponse formats;

	FormatController(UploadSettings uploads) {
		this.formats = FormatsResponse.build(uploads.maxSize().toBytes());
	}

	@GetMapping("/api/formats")
	@Operation(summary = "The supported conversions (public)")
	FormatsResponse formats() {
		return this.formats;
	}

	/**
	 * @param kinds the formats of each kind
	 * @param conversions for each source format, the targets it converts to
	 * @param anyFile targets any file can be converted to (packed into an archive)
	 * @param qualities the {@code quality} levels, for media targets
	 * @param aliases alternative spellings clients may send
	 * @param maxUploadBytes the largest upload accepted, so clients can check before sending
	 */
	record FormatsResponse(Map<String, List<String>> kinds, Map<String, List<String>> conversions,
			List<String> anyFile, List<String> qualities, Map<String, String> aliases, long maxUploadBytes) {

		static FormatsResponse build(long maxUploadBytes) {
			Map<String, List<String>> kinds = new LinkedHashMap<>();
			for (MediaKind kind : MediaKind.values()) {
				kinds.put(kind.name().toLowerCase(Locale.ROOT),
						Arrays.stream(Format.values()).filter(f -> f.kind() == kind).map(Format::id).toList());
			}
			Map<String, List<String>> conversions = new LinkedHashMap<>();
			Map<String, String> aliases = new LinkedHashMap<>();
			for (Format source : Format.values()) {
				conversions.put(source.id(),
						ConversionMatrix.targetsFor(Optional.of(source)).stream().map(Format::id).toList());
				source.names().stream().skip(1).forEach(alias -> aliases.put(alias, source.id()));
			}
			List<String> anyFile = ConversionMatrix.targetsFor(Optional.empty()).stream().map(Format::id).toList();
			List<String> qualities = Arrays.stream(Quality.values()).map(Quality::id).toList();
			return new FormatsResponse(kinds, conversions, anyFile, qualities, aliases, maxUploadBytes);
		}

	}

}

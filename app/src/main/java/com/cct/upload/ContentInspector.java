package com.cct.upload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;
import org.apache.tika.mime.MimeTypesFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import com.cct.format.Format;

/**
 * Tells what a file is by its first bytes (Apache Tika's magic numbers), never by the Content-Type
 * a client sent. Looks at no more than {@link #HEAD_BYTES} and matches only the types of the
 * formats we map (and Tika's aliases and sub-types of them, such as audio/x-m4a or video/theora), not
 * the thousand others Tika knows: what matches none of them is text or octet-stream. A file Tika
 * cannot tell at all (octet-stream) whose name says a media format is taken at its name's word: the
 * worker's content probe decides, and fails the task with a reason when the bytes are not that.
 */
@Component
class ContentInspector {

	/** How much of a file the check reads: Tika's deepest magic for our types lies well within it. */
	static final int HEAD_BYTES = 64 * 1024;

	private static final String OCTET_STREAM = MediaType.OCTET_STREAM.toString();

	private static final String TIKA_TYPES = "/org/apache/tika/mime/tika-mimetypes.xml";

	/** Transport streams start with a sync byte every 188 bytes (every 192 in .m2ts/.mts, after a time code). */
	private static final int TS_PACKETS_CHECKED = 4;

	private final MimeTypes types = mappedTypes();

	private final MediaTypeRegistry registry = this.types.getMediaTypeRegistry();

	/**
	 * What the first bytes of an upload are ({@code head}: the file's first bytes, at most
	 * {@link #HEAD_BYTES} are looked at), with the client's file name for the octet-stream case.
	 */
	Detected inspect(byte[] head, String fileName) {
		return detect(head).orNamed(Format.claimedBy(fileName));
	}

	/** What the bytes are, by content alone; reads at most {@link #HEAD_BYTES} of the stream. */
	Detected inspect(InputStream content) throws IOException {
		return detect(content.readNBytes(HEAD_BYTES));
	}

	private Detected detect(byte[] bytes) {
		byte[] head = bytes.length > HEAD_BYTES ? Arrays.copyOf(bytes, HEAD_BYTES) : bytes;
		MediaType type;
		try {
			type = this.types.detect(new ByteArrayInputStream(head), new Metadata());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String mime = this.registry.normalize(type).getBaseType().toString();
		if (OCTET_STREAM.equals(mime) && isTransportStream(head)) {
			// Tika has no magic for MPEG-TS
			mime = "video/mp2t";
		}
		return new Detected(mime, formatOf(MediaType.parse(mime)));
	}

	/** The format of a type, of one of its aliases, or else of its nearest super-type that has one. */
	private Optional<Format> formatOf(MediaType type) {
		for (MediaType t = type; t != null; t = this.registry.getSupertype(t)) {
			Optional<Format> format = Format.ofMimeType(t.toString());
			if (format.isPresent()) {
				return format;
			}
			for (MediaType alias : this.registry.getAliases(t)) {
				format = Format.ofMimeType(alias.toString());
				if (format.isPresent()) {
					return format;
				}
			}
			if (MediaType.OCTET_STREAM.equals(t) || MediaType.TEXT_PLAIN.equals(t)) {
				break;
			}
		}
		return Optional.empty();
	}

	private static boolean isTransportStream(byte[] head) {
		return syncEvery(head, 0, 188) || syncEvery(head, 4, 192);
	}

	private static boolean syncEvery(byte[] head, int offset, int packet) {
		for (int i = 0; i < TS_PACKETS_CHECKED; i++) {
			int at = offset + i * packet;
			if (at >= head.length || head[at] != 0x47) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Tika's own type list cut down to the types a format maps (by type or alias) and the types that
	 * descend from them, so detection runs only their magic.
	 */
	static MimeTypes mappedTypes() {
		try (InputStream xml = MimeTypes.class.getResourceAsStream(TIKA_TYPES)) {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			Document document = factory.newDocumentBuilder().parse(xml);
			Element root = document.getDocumentElement();
			Set<String> kept = new HashSet<>();
			Arrays.stream(Format.values()).forEach(format -> kept.addAll(format.mimeTypes()));
			NodeList all = root.getElementsByTagName("mime-type");
			boolean grew = true;
			while (grew) {
				grew = false;
				for (int i = 0; i < all.getLength(); i++) {
					Element type = (Element) all.item(i);
					if (!kept.contains(type.getAttribute("type")) && (related(type, "alias", kept) || related(type, "sub-class-of", kept))) {
						kept.add(type.getAttribute("type"));
						grew = true;
					}
				}
			}
			for (int i = all.getLength() - 1; i >= 0; i--) {
				Element type = (Element) all.item(i);
				if (!kept.contains(type.getAttribute("type"))) {
					root.removeChild(type);
				}
			}
			ByteArrayOutputStream cut = new ByteArrayOutputStream();
			TransformerFactory.newInstance().newTransformer().transform(new DOMSource(document), new StreamResult(cut));
			return MimeTypesFactory.create(new ByteArrayInputStream(cut.toByteArray()));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Tika's type list could not be read", ex);
		}
	}

	private static boolean related(Element type, String tag, Set<String> kept) {
		NodeList links = type.getElementsByTagName(tag);
		for (int i = 0; i < links.getLength(); i++) {
			Node link = links.item(i);
			if (link.getParentNode() == type && kept.contains(((Element) link).getAttribute("type"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * What the bytes say: the MIME type Tika found and the format it maps to, if any; {@code byName}
	 * when only the file's name said it.
	 */
	record Detected(String mimeType, Optional<Format> format, boolean byName) {

		Detected(String mimeType, Optional<Format> format) {
			this(mimeType, format, false);
		}

		/**
		 * Octet-stream (Tika knows no magic that fits) under a media name: the name's format, for
		 * the worker's probe to confirm or refuse. Anything else stays as the bytes said.
		 */
		Detected orNamed(Optional<Format> claimed) {
			if (OCTET_STREAM.equals(this.mimeType) && this.format.isEmpty() && claimed.isPresent()
					&& claimed.get().kind().isMedia()) {
				return new Detected(this.mimeType, claimed, true);
			}
			return this;
		}

	}

}

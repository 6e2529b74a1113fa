package com.cct.notify;

import java.net.URI;

import org.springframework.web.util.HtmlUtils;

import com.cct.task.Task;
import com.cct.task.TaskStatus;

/**
 * The words of a completion mail: subject, plain text and HTML. Holds the file name, the formats,
 * the outcome and links; never tokens, internal ids beyond the task id, or file system paths.
 */
record TaskMail(String subject, String text, String html) {

	static TaskMail of(Task task, String username, URI publicUrl) {
		String base = publicUrl.toString().replaceAll("/+$", "");
		String apiLink = base + "/api/tasks/" + task.id();
		String pageLink = base + "/#task-" + task.id();
		boolean ok = task.status() == TaskStatus.PROCESSED;
		String subject = ok ? "Your file " + oneLine(task.fileName()) + " is ready as " + task.target().id()
				: "Your conversion of " + oneLine(task.fileName()) + " failed";
		String outcome = ok ? "is ready to download." : "could not be converted: " + task.error();
		String text = """
				Hello %s,

				Your file "%s" (%s to %s) %s

				Task: %s
				Open it on the web page: %s
				Or through the API: %s

				Cloud Conversion Tool
				""".formatted(username, task.fileName(), task.originalFormatName(), task.target().id(), outcome, task.id(),
				pageLink, apiLink);
		String html = """
				<!doctype html>
				<html><body style="font-family: sans-serif">
				<p>Hello %s,</p>
				<p>Your file <strong>%s</strong> (%s to %s) %s</p>
				<p>Task: <code>%s</code><br>
				<a href="%s">Open it on the web page</a> &middot; <a href="%s">API</a></p>
				<p>Cloud Conversion Tool</p>
				</body></html>
				""".formatted(esc(username), esc(task.fileName()), esc(task.originalFormatName()), esc(task.target().id()),
				esc(outcome), task.id(), esc(pageLink), esc(apiLink));
		return new TaskMail(subject, text, html);
	}

	private static String oneLine(String text) {
		return text.replaceAll("[\\r\\n\\t]", " ");
	}

	private static String esc(String text) {
		return HtmlUtils.htmlEscape(text == null ? "" : text, "UTF-8");
	}

}

package com.cct.task;

/**
 * What goes over the task's Redis channel: a {@code status} event when the status changes, a
 * {@code progress} event while it runs; both carry the whole snapshot so a listener needs no
 * database read.
 */
public record TaskEvent(String type, Task task) {

	public static final String STATUS = "status";

	public static final String PROGRESS = "progress";

}

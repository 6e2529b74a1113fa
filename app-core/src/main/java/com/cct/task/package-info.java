/**
 * Tasks: one upload and its conversion. {@link com.cct.task.TaskLifecycle} owns every change of a
 * task (create, transitions, delete, what follows an ending); the repository guards each transition
 * in SQL; the status cache holds live snapshots and events in Redis.
 */
package com.cct.task;

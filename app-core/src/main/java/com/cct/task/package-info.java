/**
 * Tasks: one upload and its conversion. {@link com.cct.task.TaskLifecycle} owns every change of a
 * task (create, transitions, delete, what follows an ending); the repository guards each transition
 * in SQL; the status cache holds live snapshots and events in Redis; {@link com.cct.task.TaskUsage}
 * counts what an account uses and admits its uploads and retries against its
 * {@link com.cct.task.UserLimits}.
 */
package com.cct.task;

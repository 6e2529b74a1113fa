package com.cct.task;

import java.util.List;

/** The answer to an upload with several targets: each task as {@code GET /api/tasks/{id}} shows it. */
record BatchResponse(List<TaskResponse> tasks) {
}

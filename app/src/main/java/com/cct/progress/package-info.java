/**
 * Live progress: the task event streams (SSE, each with its own bounded send queue, a few per account),
 * the Redis relay that fans events out to them, and the database poll that stands in, one read per
 * task, while Redis is away.
 */
package com.cct.progress;

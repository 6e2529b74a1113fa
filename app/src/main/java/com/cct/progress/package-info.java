/**
 * Live progress: the task event streams (SSE), the Redis relay that fans events out to them, and the
 * database poll that stands in, one read per task, while Redis is away.
 */
package com.cct.progress;

/**
 * The conversion job and what keeps it honest: the runner, the process sandbox and watchdog (deadline,
 * cancel, interruption), the failure filter, the fair share between accounts, Redis wake-ups and
 * cancels, the job server supervisor, and the queue gauges that autoscalers read.
 */
package com.cct.conversion;

/** Live progress: the Redis subscription that feeds the task event streams. */
package com.cct.progress;

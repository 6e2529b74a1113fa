/** The job contract between the web process and the workers, and the one place that talks to JobRunr. */
package com.cct.job;

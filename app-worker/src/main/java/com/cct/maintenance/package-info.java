/** Recurring housekeeping: the reconciler that strands no task, and retention. */
package com.cct.maintenance;

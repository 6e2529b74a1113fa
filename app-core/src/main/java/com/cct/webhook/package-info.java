/**
 * Webhooks as both processes see them: the web registers them (checking the address), the task's
 * lifecycle enqueues one delivery job per subscribed webhook when a task ends, and the worker
 * delivers, signed, to an address checked again after DNS.
 */
package com.cct.webhook;

/** The webhook API: an account registers, lists and removes its webhooks and reads their deliveries. */
package com.cct.webhook;

/** Completion mails, sent by their own JobRunr job so an SMTP outage never touches a conversion. */
package com.cct.notify;

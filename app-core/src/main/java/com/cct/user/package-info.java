/** Accounts as both processes see them: the web signs users up, the worker mails them. */
package com.cct.user;

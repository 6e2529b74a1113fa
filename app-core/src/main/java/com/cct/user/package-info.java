/**
 * Accounts as both processes see them: the web signs users up and checks verification links, the
 * worker mails them (only to verified addresses).
 */
package com.cct.user;

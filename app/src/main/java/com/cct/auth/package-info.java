/** Accounts and bearer tokens: sign-up, login, the stateless security chain. */
package com.cct.auth;

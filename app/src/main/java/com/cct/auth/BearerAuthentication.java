package com.cct.auth;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import com.cct.keys.ApiKeys;
import com.cct.user.UserRepository;

/**
 * Who a bearer credential stands for: an API key ({@code cct_...}), looked up by its hash on every
 * request so a revoked key stops at once, or a login token whose version is still the account's
 * (a password change moves the version on, so every token issued before is refused; the account
 * being gone refuses them too). Nothing here caches an answer about a key or a version.
 */
@Component
class BearerAuthentication {

	private static final Logger log = LoggerFactory.getLogger(BearerAuthentication.class);

	private final TokenService tokens;

	private final UserRepository users;

	private final ApiKeys keys;

	BearerAuthentication(TokenService tokens, UserRepository users, ApiKeys keys) {
		this.tokens = tokens;
		this.users = users;
		this.keys = keys;
	}

	/** Empty for a credential that is unknown, revoked, expired or outdated; a database failure is thrown. */
	Optional<AuthenticatedUser> authenticate(String credential) {
		if (ApiKeys.looksLikeKey(credential)) {
			return this.keys.authenticate(credential);
		}
		return this.tokens.verified(credential).filter(this::current).map(TokenService.Verified::user);
	}

	private boolean current(TokenService.Verified token) {
		try {
			return this.users.findTokenVersion(token.user().id()).map(version -> version == token.version())
				.orElse(false);
		}
		catch (DataAccessException | TransactionException ex) {
			// the signature checked out; with PostgreSQL away the request can only reach what Redis serves
			// (task snapshots), and a password change cannot happen meanwhile either
			log.debug("Token version of {} not checked, database unavailable: {}", token.user().id(),
					ex.getMessage());
			return true;
		}
	}

}

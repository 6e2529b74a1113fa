package com.cct.user;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

public interface UserRepository extends ListCrudRepository<User, UUID> {

	@Transactional(readOnly = true)
	@Query("select * from users where lower(username) = lower(:username)")
	Optional<User> findByUsernameIgnoreCase(String username);

	@Transactional(readOnly = true)
	@Query("select * from users where lower(email) = lower(:email)")
	Optional<User> findByEmailIgnoreCase(String email);

	@Transactional(readOnly = true)
	@Query("select exists (select 1 from users where lower(username) = lower(:username))")
	boolean existsByUsernameIgnoreCase(String username);

	@Transactional(readOnly = true)
	@Query("select exists (select 1 from users where lower(email) = lower(:email))")
	boolean existsByEmailIgnoreCase(String email);

	/** Whether mail may go to the account's address: only once its owner followed the mailed link. */
	@Transactional(readOnly = true)
	@Query("select coalesce((select email_verified from users where id = :id), false)")
	boolean isEmailVerified(UUID id);

	/** Replaces any earlier link: only the latest mailed token verifies. */
	@Transactional
	@Modifying
	@Query("""
			update users set verification_hash = :tokenHash, verification_expires_at = :expiresAt
			where id = :id and not email_verified""")
	boolean startVerification(UUID id, String tokenHash, Instant expiresAt);

	/** Marks the address verified when the token is known and still valid; the token is used up. */
	@Transactional
	@Modifying
	@Query("""
			update users set email_verified = true, verification_hash = null, verification_expires_at = null
			where verification_hash = :tokenHash and verification_expires_at > :now""")
	boolean completeVerification(String tokenHash, Instant now);

	/** Whether the account's tasks mail their owner unless a task says otherwise; empty when the account is gone. */
	@Query("select notify_owner from users where id = :id")
	Optional<Boolean> findNotifyOwner(UUID id);

	/**
	 * The version login tokens of the account must carry; empty when the account is gone. A new
	 * password moves it on ({@link #changePassword}).
	 */
	// no transaction of its own: one read, asked on every request, must fail as a plain DataAccessException
	// (a read-only transaction whose rollback fails on a dead connection threw TransactionSystemException)
	@Query("select token_version from users where id = :id")
	Optional<Integer> findTokenVersion(UUID id);

	/** Stores the new password's hash and refuses every login token issued before: the new version. */
	@Transactional
	@Query("update users set password_hash = :passwordHash, token_version = token_version + 1 where id = :id returning token_version")
	Optional<Integer> changePassword(UUID id, String passwordHash);

}

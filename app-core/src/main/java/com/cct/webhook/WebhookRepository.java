package com.cct.webhook;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

public interface WebhookRepository extends ListCrudRepository<Webhook, UUID> {

	@Transactional(readOnly = true)
	@Query("select * from webhooks where user_id = :userId order by created_at, id")
	List<Webhook> findByUserId(UUID userId);

	@Transactional(readOnly = true)
	Optional<Webhook> findByIdAndUserId(UUID id, UUID userId);

	@Transactional(readOnly = true)
	long countByUserId(UUID userId);

	/** Removes a webhook with its delivery log (cascade); false when it is not the user's. */
	@Transactional
	@Modifying
	@Query("delete from webhooks where id = :id and user_id = :userId")
	boolean deleteByIdAndUserId(UUID id, UUID userId);

	@Transactional
	@Modifying
	@Query("delete from webhooks where user_id = :userId")
	int deleteByUserId(UUID userId);

}

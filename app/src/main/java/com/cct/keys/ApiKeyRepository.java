package com.cct.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends ListCrudRepository<ApiKey, UUID> {

	@Transactional(readOnly = true)
	@Query("select * from api_keys where user_id = :userId order by created_at, id")
	List<ApiKey> findByUserId(UUID userId);

	@Transactional(readOnly = true)
	Optional<ApiKey> findByKeyHash(String keyHash);

	@Transactional(readOnly = true)
	long countByUserId(UUID userId);

	@Transactional
	@Modifying
	@Query("delete from api_keys where id = :id and user_id = :userId")
	boolean deleteByIdAndUserId(UUID id, UUID userId);

	@Transactional
	@Modifying
	@Query("delete from api_keys where user_id = :userId")
	int deleteByUserId(UUID userId);

	/** Stamps the key's use unless another request (on any web process) did within the last minute. */
	@Transactional
	@Modifying
	@Query("update api_keys set last_used_at = :now where id = :id and (last_used_at is null or last_used_at < :before)")
	int touch(UUID id, Instant now, Instant before);

}

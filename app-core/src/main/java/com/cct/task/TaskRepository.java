package com.cct.task;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The task store. Every status change is a conditional update naming the states it may leave and
 * returning the row it wrote, so two actors racing (a worker finishing while the owner cancels, a
 * job re-run after a crash) settle on exactly one transition: the loser's update matches no row and
 * returns nothing. Only {@link TaskLifecycle} calls the transitions.
 */
public interface TaskRepository extends ListCrudRepository<Task, UUID> {

	@Transactional(readOnly = true)
	Optional<Task> findByIdAndUserId(UUID id, UUID userId);

	@Transactional(readOnly = true)
	@Query("select * from tasks where user_id = :userId and (original_file = :name or processed_file = :name)")
	Optional<Task> findByUserIdAndFileName(UUID userId, String name);

	@Transactional(readOnly = true)
	Optional<Task> findByUserIdAndIdempotencyKey(UUID userId, String idempotencyKey);

	/** The tasks of one multi-target upload, in the order of its targets (V9). */
	@Transactional(readOnly = true)
	@Query("select * from tasks where batch_id = :batchId and user_id = :userId order by created_at asc, id asc")
	List<Task> findBatch(UUID batchId, UUID userId);

	/** Records which task's upload stored a shared original, and the batch a task belongs to (V9). */
	@Modifying
	@Query("update tasks set original_of = :originalOf, batch_id = :batchId where id = :id")
	int markShared(UUID id, UUID originalOf, UUID batchId);

	/** The task whose upload stored this task's original bytes: itself unless shared (V9). */
	@Transactional(readOnly = true)
	@Query("select coalesce(original_of, id) from tasks where id = :id")
	UUID findOriginalOf(UUID id);

	@Transactional(readOnly = true)
	@Query("select * from tasks where user_id = :userId order by created_at asc, id asc limit :max")
	List<Task> findOldestFirst(UUID userId, int max);

	@Transactional(readOnly = true)
	@Query("select * from tasks where user_id = :userId order by created_at desc, id desc limit :max")
	List<Task> findNewestFirst(UUID userId, int max);

	@Transactional(readOnly = true)
	@Query("select * from tasks where user_id = :userId and status = :status order by created_at asc, id asc limit :max")
	List<Task> findOldestFirstWithStatus(UUID userId, String status, int max);

	@Transactional(readOnly = true)
	@Query("select * from tasks where user_id = :userId and status = :status order by created_at desc, id desc limit :max")
	List<Task> findNewestFirstWithStatus(UUID userId, String status, int max);

	@Transactional(readOnly = true)
	@Query("select * from tasks where status = :status and created_at < :before order by created_at limit :max")
	List<Task> findByStatusCreatedBefore(String status, Instant before, int max);

	@Transactional(readOnly = true)
	@Query("select * from tasks where created_at < :before order by created_at limit :max")
	List<Task> findCreatedBefore(Instant before, int max);

	/**
	 * Starts the task ({@code processing}, a new attempt) unless it must wait for its turn: an uploaded
	 * task of an owner who already has {@code perUser} or more tasks processing while another account
	 * waits with fewer than that running (0 turns this off). Work-conserving: with nobody else waiting,
	 * one account may use every worker. A task already processing (its worker died) always restarts.
	 * The fair share and the guarded start are one statement, so starting costs one round trip. Empty
	 * when the task is in no state to start or must wait.
	 */
	@Query("""
			update tasks t set status = 'processing', progress = 0, error = null, started_at = :now, finished_at = null,
			crashes = crashes + (case when status = 'processing' and attempt_open then 1 else 0 end), attempt_open = true
			where id = :id and (status = 'processing' or (status = 'uploaded' and not (:perUser > 0
			and (select count(*) from tasks mine where mine.user_id = t.user_id and mine.status = 'processing') >= :perUser
			and exists (select 1 from tasks waiting where waiting.status = 'uploaded' and waiting.user_id <> t.user_id
			and (select count(*) from tasks running where running.user_id = waiting.user_id
			and running.status = 'processing') < :perUser)))) returning *""")
	Optional<Task> markProcessingUnlessYielding(UUID id, Instant now, int perUser);

	/** The worker's attempt ended without an outcome (an error to retry, an interruption): no crash. */
	@Modifying
	@Query("update tasks set attempt_open = false where id = :id and attempt_open")
	int closeAttempt(UUID id);

	/**
	 * The row as it is now, read without a transaction (one round trip): what a worker reads before it
	 * starts a task.
	 */
	@Query("select * from tasks where id = :id")
	Optional<Task> findCurrent(UUID id);

	/**
	 * Of these tasks, the ones that exist and are no longer processing (cancelled, or ended by another
	 * actor): a worker's watchdog stops their conversions when Redis could not say so.
	 */
	@Query("select id from tasks where id in (:ids) and status <> 'processing'")
	List<UUID> findEndedAmong(Collection<UUID> ids);

	@Modifying
	@Query("update tasks set progress = :progress where id = :id and status = 'processing' and progress < :progress")
	int updateProgress(UUID id, int progress);

	@Query("""
			update tasks set status = 'processed', progress = 100, processed_size_bytes = :size, error = null,
			finished_at = :now, attempt_open = false where id = :id and status = 'processing' returning *""")
	Optional<Task> markProcessed(UUID id, long size, Instant now);

	@Query("""
			update tasks set status = 'failed', error = :reason, finished_at = :now, attempt_open = false
			where id = :id and status in ('uploaded', 'processing') returning *""")
	Optional<Task> markFailed(UUID id, String reason, Instant now);

	@Query("""
			update tasks set status = 'cancelled', finished_at = :now, attempt_open = false
			where id = :id and status in ('uploaded', 'processing') returning *""")
	Optional<Task> markCancelled(UUID id, Instant now);

	@Query("""
			update tasks set status = 'uploaded', progress = 0, error = null, started_at = null, finished_at = null,
			processed_size_bytes = null, crashes = 0 where id = :id and status in ('failed', 'cancelled') returning *""")
	Optional<Task> markForRetry(UUID id);

	@Query("""
			update tasks set status = 'uploaded', progress = 0, started_at = null, attempt_open = false
			where id = :id and status = 'processing' returning *""")
	Optional<Task> markRequeued(UUID id);

	@Modifying
	@Query("delete from tasks where id = :id and status <> 'processing'")
	int deleteUnlessProcessing(UUID id);

}

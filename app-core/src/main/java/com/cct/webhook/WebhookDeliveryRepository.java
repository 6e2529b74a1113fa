package com.cct.webhook;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

public interface WebhookDeliveryRepository extends ListCrudRepository<WebhookDelivery, UUID> {

	@Transactional(readOnly = true)
	@Query("select * from webhook_deliveries where webhook_id = :webhookId order by attempted_at desc, attempt desc limit :max")
	List<WebhookDelivery> findLatest(UUID webhookId, int max);

	@Transactional(readOnly = true)
	long countByDeliveryId(UUID deliveryId);

}

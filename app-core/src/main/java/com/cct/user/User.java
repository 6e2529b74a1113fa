package com.cct.user;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** An account. {@code notifyOwner} is the owner's standing choice for completion mails. */
@Table("users")
public record User(@Id UUID id, String username, String email, String passwordHash, boolean notifyOwner,
		Instant createdAt) {
}

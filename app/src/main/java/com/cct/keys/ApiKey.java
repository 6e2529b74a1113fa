package com.cct.keys;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A key as stored: its hash, never the key; {@code prefix} is its first characters, to tell keys apart. */
@Table("api_keys")
record ApiKey(@Id UUID id, UUID userId, String name, String prefix, String keyHash, Instant createdAt,
		Instant lastUsedAt, Instant expiresAt) {

	boolean expiredAt(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

}

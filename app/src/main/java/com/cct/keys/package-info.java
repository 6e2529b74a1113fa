/**
 * API keys: long-lived bearer credentials for scripts ({@code cct_} + 32 random bytes in base62),
 * stored only as their SHA-256, listed and revoked by their owner with a login token.
 * {@link com.cct.keys.ApiKeys} is what the security chain asks about a key.
 */
package com.cct.keys;

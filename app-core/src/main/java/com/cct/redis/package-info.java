/**
 * Redis plumbing: the guarded client every call goes through (it degrades to "nothing" while Redis
 * is down; PostgreSQL stays the source of truth) and subscriptions that survive Redis restarts.
 */
package com.cct.redis;

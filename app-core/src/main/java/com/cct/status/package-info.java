/**
 * Redis as a cache and signal bus: task snapshots, per-task event channels, worker wake-ups. Every
 * call degrades to "nothing" when Redis is down; PostgreSQL stays the source of truth.
 */
package com.cct.status;

/**
 * Resumable uploads, the tus 1.0 protocol (core, creation, termination, expiration) at
 * {@code /api/uploads}: an upload's id is the id of the task it becomes once its last byte arrives.
 */
package com.cct.upload.tus;
